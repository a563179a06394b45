using System;

namespace ConvGen;

/// <summary>
/// Base of every layer attribute. Layers run in source order: attribute lists top to bottom,
/// attributes left to right inside a list.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public abstract class LayerAttribute : Attribute
{
    /// <summary>Only ConvGen's own layers derive from this class: the generator knows each one.</summary>
    private protected LayerAttribute()
    {
    }

    /// <summary>
    /// The layer's name in the parameter dictionary. By default a layer is named by its index in the
    /// flat layer list, as <c>nn.Sequential</c> numbers its children ("0.weight", "1.running_mean").
    /// </summary>
    public string? Name { get; set; }
}
