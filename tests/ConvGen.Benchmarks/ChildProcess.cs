using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;

namespace ConvGen.Benchmarks;

/// <summary>Starts this benchmark program again with other arguments, for measurements that need a fresh process.</summary>
public static class ChildProcess
{
    /// <summary>
    /// Runs this program with <paramref name="args"/> (and <paramref name="environment"/> added), waits, and returns
    /// its standard output; throws with its standard error if it fails.
    /// </summary>
    public static string Run(IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ProcessStartInfo start = StartInfoFor(args);
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + start.FileName);
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? stdout
            : throw new InvalidOperationException($"'{start.FileName} {string.Join(' ', start.ArgumentList)}' exited with {process.ExitCode}:\n{stderr.Result}");
    }

    /// <summary>
    /// How to start this program: its apphost when it runs from one (<c>dotnet run</c>), else <c>dotnet</c> with this
    /// assembly's path.
    /// </summary>
    public static ProcessStartInfo StartInfoFor(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string host = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (string.Equals(Path.GetFileNameWithoutExtension(host), "dotnet", StringComparison.Ordinal))
        {
            start.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        }

        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }
}
