using System;
using System.IO;

namespace ConvGen;

/// <summary>
/// A weights file or buffer is malformed: its message says what was expected and what was found.
/// It derives from <see cref="IOException"/>, so one <c>catch (IOException)</c> covers a file that cannot be read and one
/// that is not valid safetensors.
/// </summary>
public sealed class WeightsFormatException : IOException
{
    /// <summary>An exception with a default message.</summary>
    public WeightsFormatException()
        : base("The weights data is malformed.")
    {
    }

    /// <summary>An exception with the given message.</summary>
    /// <param name="message">What was expected and what was found.</param>
    public WeightsFormatException(string message)
        : base(message)
    {
    }

    /// <summary>An exception with the given message and cause.</summary>
    /// <param name="message">What was expected and what was found.</param>
    /// <param name="innerException">The error that revealed the problem.</param>
    public WeightsFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
