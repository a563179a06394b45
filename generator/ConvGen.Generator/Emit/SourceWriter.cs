using System.Text;

namespace ConvGen.Generator.Emit;

/// <summary>A small indented text writer: generated code is written as text, line by line, for a reader.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    public SourceWriter Line(string line = "")
    {
        if (line.Length > 0)
        {
            _text.Append(' ', _indent * 4);
        }

        _text.Append(line).Append('\n');
        return this;
    }

    public SourceWriter Open(string header)
    {
        Line(header);
        Line("{");
        _indent++;
        return this;
    }

    public SourceWriter Close(string suffix = "")
    {
        _indent--;
        return Line("}" + suffix);
    }

    /// <summary>Writes <paramref name="text"/> as <c>///</c> lines, one per line of text.</summary>
    public SourceWriter Doc(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            Line(line.Length == 0 ? "///" : "/// " + line);
        }

        return this;
    }

    public override string ToString() => _text.ToString();
}
