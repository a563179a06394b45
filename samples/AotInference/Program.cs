using System;
using System.Globalization;
using System.IO;
using System.Runtime.Intrinsics;
using AotInference;

// Usage:
//   AotInference                                  LeNet-5 smoke check, then the DigitsNet check, on the bundled data/ files
//   AotInference weights.safetensors [digits.safetensors]    LeNet-5 smoke check on these files
//   AotInference --digits digits-net.safetensors digits-test.safetensors    DigitsNet check on these files
// Exit code 0 when every check run passes, 1 otherwise (CI smoke check), 2 for a bad command line.
try
{
    string data = Path.Combine(AppContext.BaseDirectory, "data");
    if (args.Length > 0 && args[0] == "--digits")
    {
        if (args.Length != 3)
        {
            Console.Error.WriteLine("usage: AotInference --digits <digits-net.safetensors> <digits-test.safetensors>");
            return 2;
        }

        PrintHeader("DigitsNet check");
        return DigitsCheck.Run(args[1], args[2]) ? 0 : 1;
    }

    PrintHeader("LeNet-5 smoke check");
    bool pass = LeNetCheck.Run(
        args.Length > 0 ? args[0] : Path.Combine(data, "lenet5.safetensors"),
        args.Length > 1 ? args[1] : Path.Combine(data, "digits-sample.safetensors"));

    // With no arguments, also the Digits sample's trained network on its held-out digits.
    if (args.Length == 0)
    {
        pass &= DigitsCheck.Run(Path.Combine(data, "digits-net.safetensors"), Path.Combine(data, "digits-test.safetensors"));
    }

    return pass ? 0 : 1;
}
#pragma warning disable CA1031 // The smoke check reports any failure as a non-zero exit code.
catch (Exception e)
#pragma warning restore CA1031
{
    Console.Error.WriteLine($"AotInference failed: {e}");
    return 1;
}

static void PrintHeader(string check) => Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"ConvGen {check}. Vector256 accelerated: {Vector256.IsHardwareAccelerated}, Vector512 accelerated: {Vector512.IsHardwareAccelerated}"));
