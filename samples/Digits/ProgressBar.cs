using System;
using System.Globalization;
using System.IO;
using static System.FormattableString;

namespace DigitsSample;

/// <summary>
/// A one-line progress bar, <c>label [#########.......] 17/45 status</c>. On a terminal it redraws in place with
/// <c>\r</c> whenever the bar grows; when output is redirected (a file, a pipe, CI) only the finished line is written.
/// </summary>
internal sealed class ProgressBar
{
    private const int Width = 24;

    private readonly TextWriter _writer;
    private readonly bool _redraw;
    private int _filled = -1;
    private int _lastLength;

    /// <summary>A bar writing to <paramref name="writer"/>.</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="redraw">Whether to redraw in place (the writer is a terminal).</param>
    public ProgressBar(TextWriter writer, bool redraw)
    {
        _writer = writer;
        _redraw = redraw;
    }

    /// <summary>Shows <paramref name="done"/> of <paramref name="total"/>; redraws only on a terminal and only when the bar grows.</summary>
    /// <param name="label">Text before the bar.</param>
    /// <param name="done">Units done.</param>
    /// <param name="total">Units in all.</param>
    /// <param name="status">Text after the count; built only when the line is redrawn.</param>
    public void Update(string label, int done, int total, Func<string> status)
    {
        int filled = Filled(done, total);
        if (!_redraw || filled == _filled)
        {
            return;
        }

        _filled = filled;
        Draw(Line(label, done, total, status()));
    }

    /// <summary>Writes the final state of the bar and ends the line; the next <see cref="Update"/> starts a new bar.</summary>
    /// <param name="label">Text before the bar.</param>
    /// <param name="total">Units in all (all done).</param>
    /// <param name="status">Text after the count.</param>
    public void Finish(string label, int total, string status)
    {
        string line = Line(label, total, total, status);
        if (_redraw)
        {
            Draw(line);
        }
        else
        {
            _writer.Write(line);
        }

        _writer.WriteLine();
        _writer.Flush();
        _filled = -1;
        _lastLength = 0;
    }

    private static int Filled(int done, int total) => total <= 0 ? Width : (int)((long)done * Width / total);

    private static string Line(string label, int done, int total, string status)
    {
        int filled = Filled(done, total);
        string count = done.ToString(CultureInfo.InvariantCulture).PadLeft(total.ToString(CultureInfo.InvariantCulture).Length);
        return Invariant($"{label} [{new string('#', filled)}{new string('.', Width - filled)}] {count}/{total}  {status}");
    }

    private void Draw(string line)
    {
        // Pad with spaces to wipe what is left of a longer previous line.
        _writer.Write('\r');
        _writer.Write(line.PadRight(_lastLength));
        _writer.Flush();
        _lastLength = line.Length;
    }
}
