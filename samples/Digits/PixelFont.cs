using System;
using System.Collections.Frozen;
using System.Collections.Generic;

namespace DigitsSample;

/// <summary>
/// A 3 × 5 pixel font with just the characters the chart writes: digits, <c>. % -</c>, a space, and the capital letters
/// of "LOSS", "ACCURACY", "TRAIN", "TEST", "EPOCH". Each glyph is five rows of three cells, '#' for ink.
/// </summary>
internal static class PixelFont
{
    /// <summary>Glyph width in font pixels.</summary>
    public const int GlyphWidth = 3;

    /// <summary>Glyph height in font pixels.</summary>
    public const int GlyphHeight = 5;

    /// <summary>Font pixels between glyphs.</summary>
    public const int Spacing = 1;

    private static readonly FrozenDictionary<char, string> Glyphs = new Dictionary<char, string>
    {
        ['0'] = "###" + "#.#" + "#.#" + "#.#" + "###",
        ['1'] = ".#." + "##." + ".#." + ".#." + "###",
        ['2'] = "##." + "..#" + ".#." + "#.." + "###",
        ['3'] = "##." + "..#" + ".#." + "..#" + "##.",
        ['4'] = "#.#" + "#.#" + "###" + "..#" + "..#",
        ['5'] = "###" + "#.." + "##." + "..#" + "##.",
        ['6'] = ".##" + "#.." + "###" + "#.#" + "###",
        ['7'] = "###" + "..#" + ".#." + ".#." + ".#.",
        ['8'] = "###" + "#.#" + "###" + "#.#" + "###",
        ['9'] = "###" + "#.#" + "###" + "..#" + "##.",
        ['.'] = "..." + "..." + "..." + "..." + ".#.",
        ['%'] = "#.#" + "..#" + ".#." + "#.." + "#.#",
        ['-'] = "..." + "..." + "###" + "..." + "...",
        [' '] = "..." + "..." + "..." + "..." + "...",
        ['A'] = ".#." + "#.#" + "###" + "#.#" + "#.#",
        ['C'] = ".##" + "#.." + "#.." + "#.." + ".##",
        ['E'] = "###" + "#.." + "##." + "#.." + "###",
        ['H'] = "#.#" + "#.#" + "###" + "#.#" + "#.#",
        ['I'] = "###" + ".#." + ".#." + ".#." + "###",
        ['L'] = "#.." + "#.." + "#.." + "#.." + "###",
        ['N'] = "##." + "#.#" + "#.#" + "#.#" + "#.#",
        ['O'] = ".#." + "#.#" + "#.#" + "#.#" + ".#.",
        ['P'] = "##." + "#.#" + "##." + "#.." + "#..",
        ['R'] = "##." + "#.#" + "##." + "#.#" + "#.#",
        ['S'] = ".##" + "#.." + ".#." + "..#" + "##.",
        ['T'] = "###" + ".#." + ".#." + ".#." + ".#.",
        ['U'] = "#.#" + "#.#" + "#.#" + "#.#" + "###",
        ['Y'] = "#.#" + "#.#" + ".#." + ".#." + ".#.",
    }.ToFrozenDictionary();

    /// <summary>The width of <paramref name="text"/> in font pixels (no trailing spacing).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The width.</returns>
    public static int Measure(string text) => text.Length == 0 ? 0 : (text.Length * (GlyphWidth + Spacing)) - Spacing;

    /// <summary>Whether the font pixel (<paramref name="x"/>, <paramref name="y"/>) of <paramref name="c"/> is inked.</summary>
    /// <param name="c">A character the font has.</param>
    /// <param name="x">Column, 0 to 2.</param>
    /// <param name="y">Row, 0 to 4 from the top.</param>
    /// <returns>Whether to draw the pixel.</returns>
    /// <exception cref="ArgumentException">The font has no glyph for <paramref name="c"/>.</exception>
    public static bool IsInked(char c, int x, int y)
    {
        if (!Glyphs.TryGetValue(c, out string? glyph))
        {
            throw new ArgumentException($"The chart font has no glyph for '{c}'.", nameof(c));
        }

        return glyph[(y * GlyphWidth) + x] == '#';
    }
}
