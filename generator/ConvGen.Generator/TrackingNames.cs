namespace ConvGen.Generator;

/// <summary>Names of the pipeline steps, so incrementality tests can ask whether a step was cached.</summary>
public static class TrackingNames
{
    /// <summary>The parsed, equatable model of each network.</summary>
    public const string Model = "ConvGen.Model";

    /// <summary>The model as the output step sees it: without diagnostic locations.</summary>
    public const string Emission = "ConvGen.Emission";
}
