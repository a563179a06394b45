using System;
using System.Collections.Generic;

namespace ConvGen;

public sealed partial class ModelWeights
{
    /// <summary>
    /// Fresh weights for a network, initialized as PyTorch initializes a new model (or with the Kaiming scheme chosen).
    /// Convolution and linear weights follow <paramref name="scheme"/>; biases are U(−1/√fan_in, 1/√fan_in);
    /// <see cref="WeightInit.Ones"/>, <see cref="WeightInit.Zeros"/> and <see cref="WeightInit.NumBatchesTracked"/> are as named.
    /// The values depend only on <paramref name="seed"/> and each tensor's name (ConvGen's own xoshiro256** generator,
    /// not <see cref="Random"/>), so they are the same on every machine and .NET version, and adding a layer leaves
    /// the other layers' values unchanged. They are not PyTorch's values for the same seed: PyTorch's generator differs.
    /// </summary>
    /// <param name="specs">The tensors, in order, as the generated code lists them.</param>
    /// <param name="seed">The seed.</param>
    /// <param name="scheme">How to draw convolution and linear weights.</param>
    /// <returns>The weights, in the order of <paramref name="specs"/>.</returns>
    /// <exception cref="ArgumentException">Two specs share a name, or a weight or bias with elements has a zero fan it needs.</exception>
    public static ModelWeights Create(IReadOnlyList<TensorSpec> specs, int seed, KaimingMode scheme = KaimingMode.PyTorchDefault)
    {
        ArgumentNullException.ThrowIfNull(specs);
        if (!Enum.IsDefined(scheme))
        {
            throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "Unknown Kaiming scheme.");
        }

        var weights = new ModelWeights();
        foreach (TensorSpec spec in specs)
        {
            if (weights.Contains(spec.Name))
            {
                throw new ArgumentException($"The network lists tensor '{spec.Name}' twice.", nameof(specs));
            }

            string? missingFan = MissingFan(spec, scheme);
            if (missingFan is not null)
            {
                throw new ArgumentException($"Tensor '{spec.Name}' ({spec.Init}) needs {missingFan} > 0 to be initialized, but it is 0.", nameof(specs));
            }

            weights.Add(Initialize(spec, seed, scheme));
        }

        return weights;
    }

    private static Tensor Initialize(TensorSpec spec, int seed, KaimingMode scheme)
    {
        if (spec.Init == WeightInit.NumBatchesTracked)
        {
            return new Tensor(spec.Name, spec.Shape, new long[spec.ElementCount]);
        }

        var data = new float[spec.ElementCount];
        WeightRandom random = WeightRandom.ForTensor(seed, spec.Name);
        switch (spec.Init)
        {
            case WeightInit.ConvWeight or WeightInit.LinearWeight:
                switch (scheme)
                {
                    case KaimingMode.PyTorchDefault:
                        // kaiming_uniform_(a=√5): gain √(2/(1+5)), bound √3·gain/√fan_in = 1/√fan_in.
                        FillUniform(data, ref random, 1.0 / Math.Sqrt(Fan(spec.FanIn)));
                        break;
                    case KaimingMode.KaimingUniformFanIn:
                        FillUniform(data, ref random, Math.Sqrt(6.0 / Fan(spec.FanIn)));
                        break;
                    case KaimingMode.KaimingNormalFanIn:
                        FillNormal(data, ref random, Math.Sqrt(2.0 / Fan(spec.FanIn)));
                        break;
                    default:
                        FillNormal(data, ref random, Math.Sqrt(2.0 / Fan(spec.FanOut)));
                        break;
                }

                break;
            case WeightInit.Bias:
                FillUniform(data, ref random, 1.0 / Math.Sqrt(Fan(spec.FanIn)));
                break;
            case WeightInit.Ones:
                data.AsSpan().Fill(1f);
                break;
            default: // Zeros: the array is already zero
                break;
        }

        return new Tensor(spec.Name, spec.Shape, data);
    }

    /// <summary>
    /// The fan the initialization divides by, when it is zero on a tensor that has elements; PyTorch leaves an empty tensor
    /// alone, and so does <see cref="Fan"/>.
    /// </summary>
    private static string? MissingFan(TensorSpec spec, KaimingMode scheme)
    {
        if (spec.ElementCount == 0)
        {
            return null;
        }

        return spec.Init switch
        {
            WeightInit.ConvWeight or WeightInit.LinearWeight when scheme == KaimingMode.KaimingNormalFanOut => spec.FanOut == 0 ? "fanOut" : null,
            WeightInit.ConvWeight or WeightInit.LinearWeight or WeightInit.Bias => spec.FanIn == 0 ? "fanIn" : null,
            _ => null,
        };
    }

    private static int Fan(int fan) => Math.Max(fan, 1);

    private static void FillUniform(float[] data, ref WeightRandom random, double bound)
    {
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (float)random.NextUniform(bound);
        }
    }

    private static void FillNormal(float[] data, ref WeightRandom random, double std)
    {
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (float)(std * random.NextStandardNormal());
        }
    }
}
