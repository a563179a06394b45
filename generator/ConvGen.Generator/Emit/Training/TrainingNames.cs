using System.Collections.Generic;
using System.Globalization;

namespace ConvGen.Generator.Emit.Training;

/// <summary>
/// The trainer's field names: one value and one gradient array per parameter (<c>_w3</c>/<c>_g3</c> for the fourth
/// parameter in state_dict order) and, per BatchNorm, its running statistics and this batch's mean and 1/σ.
/// </summary>
internal sealed class TrainingNames
{
    private readonly Dictionary<string, int> _parameters = new(System.StringComparer.Ordinal);
    private readonly Dictionary<string, int> _norms = new(System.StringComparer.Ordinal);

    public TrainingNames(IEnumerable<ParameterSpec> specs)
    {
        foreach (var spec in specs)
        {
            if (spec.Role == "Parameter")
            {
                _parameters[spec.Name] = _parameters.Count;
            }
            else if (spec.Init == "NumBatchesTracked")
            {
                _norms[spec.Name.Substring(0, spec.Name.Length - ".num_batches_tracked".Length)] = _norms.Count;
            }
        }
    }

    public string Value(string parameter) => "_w" + Number(_parameters[parameter]);

    public string Gradient(string parameter) => "_g" + Number(_parameters[parameter]);

    public string RunningMean(string prefix) => "_runningMean" + Number(_norms[prefix]);

    public string RunningVar(string prefix) => "_runningVar" + Number(_norms[prefix]);

    public string Tracked(string prefix) => "_tracked" + Number(_norms[prefix]);

    /// <summary>The statistics the last forward normalized with (batch or running): mean and 1/√(σ² + ε) per channel.</summary>
    public string Mean(string prefix) => "_mean" + Number(_norms[prefix]);

    public string InvStd(string prefix) => "_invStd" + Number(_norms[prefix]);

    private static string Number(int i) => i.ToString(CultureInfo.InvariantCulture);
}
