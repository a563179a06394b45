using System;

namespace DigitsSample;

/// <summary>
/// An RGB picture in memory with the few drawing operations a line chart needs: filled rectangles, thick lines,
/// dashed horizontal lines and <see cref="PixelFont"/> text. Everything is clipped to the picture.
/// </summary>
internal sealed class Raster
{
    /// <summary>A <paramref name="width"/> × <paramref name="height"/> picture filled with <paramref name="background"/>.</summary>
    /// <param name="width">Pixels per row.</param>
    /// <param name="height">Rows.</param>
    /// <param name="background">The initial colour of every pixel.</param>
    public Raster(int width, int height, Rgb background)
    {
        Width = width;
        Height = height;
        Pixels = new byte[width * height * 3];
        FillRectangle(0, 0, width, height, background);
    }

    /// <summary>Pixels per row.</summary>
    public int Width { get; }

    /// <summary>Rows.</summary>
    public int Height { get; }

    /// <summary>R, G, B per pixel, row by row from the top (what <see cref="PngWriter"/> takes).</summary>
    public byte[] Pixels { get; }

    /// <summary>Paints one pixel; ignored outside the picture.</summary>
    /// <param name="x">Column, 0 on the left.</param>
    /// <param name="y">Row, 0 at the top.</param>
    /// <param name="color">The colour.</param>
    public void SetPixel(int x, int y, Rgb color)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
        {
            return;
        }

        int at = ((y * Width) + x) * 3;
        Pixels[at] = color.R;
        Pixels[at + 1] = color.G;
        Pixels[at + 2] = color.B;
    }

    /// <summary>Paints the rectangle with top-left corner (<paramref name="x"/>, <paramref name="y"/>).</summary>
    /// <param name="x">Left column.</param>
    /// <param name="y">Top row.</param>
    /// <param name="width">Columns.</param>
    /// <param name="height">Rows.</param>
    /// <param name="color">The colour.</param>
    public void FillRectangle(int x, int y, int width, int height, Rgb color)
    {
        for (int row = Math.Max(y, 0); row < Math.Min(y + height, Height); row++)
        {
            for (int column = Math.Max(x, 0); column < Math.Min(x + width, Width); column++)
            {
                SetPixel(column, row, color);
            }
        }
    }

    /// <summary>A straight line (Bresenham's algorithm), <paramref name="thickness"/> pixels wide: a square brush at every step.</summary>
    /// <param name="x0">Start column.</param>
    /// <param name="y0">Start row.</param>
    /// <param name="x1">End column.</param>
    /// <param name="y1">End row.</param>
    /// <param name="color">The colour.</param>
    /// <param name="thickness">The brush size in pixels, at least 1.</param>
    public void DrawLine(int x0, int y0, int x1, int y1, Rgb color, int thickness = 1)
    {
        int dx = Math.Abs(x1 - x0), dy = -Math.Abs(y1 - y0);
        int sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
        int error = dx + dy;
        int offset = (thickness - 1) / 2;
        while (true)
        {
            FillRectangle(x0 - offset, y0 - offset, thickness, thickness, color);
            if (x0 == x1 && y0 == y1)
            {
                return;
            }

            int doubled = 2 * error;
            if (doubled >= dy)
            {
                error += dy;
                x0 += sx;
            }

            if (doubled <= dx)
            {
                error += dx;
                y0 += sy;
            }
        }
    }

    /// <summary>A one-pixel horizontal line of <paramref name="dash"/>-pixel dashes and gaps.</summary>
    /// <param name="x0">Left column.</param>
    /// <param name="x1">Right column (inclusive).</param>
    /// <param name="y">Row.</param>
    /// <param name="color">The colour.</param>
    /// <param name="dash">The length of a dash and of a gap.</param>
    public void DrawDashedHorizontalLine(int x0, int x1, int y, Rgb color, int dash)
    {
        for (int x = x0; x <= x1; x++)
        {
            if ((x - x0) / dash % 2 == 0)
            {
                SetPixel(x, y, color);
            }
        }
    }

    /// <summary>Writes <paramref name="text"/> in <see cref="PixelFont"/>, each font pixel a <paramref name="scale"/>-pixel square.</summary>
    /// <param name="x">Left column of the first glyph.</param>
    /// <param name="y">Top row of the glyphs.</param>
    /// <param name="text">Characters the font has.</param>
    /// <param name="color">The ink colour.</param>
    /// <param name="scale">Picture pixels per font pixel.</param>
    public void DrawText(int x, int y, string text, Rgb color, int scale)
    {
        for (int i = 0; i < text.Length; i++)
        {
            int left = x + (i * (PixelFont.GlyphWidth + PixelFont.Spacing) * scale);
            for (int row = 0; row < PixelFont.GlyphHeight; row++)
            {
                for (int column = 0; column < PixelFont.GlyphWidth; column++)
                {
                    if (PixelFont.IsInked(text[i], column, row))
                    {
                        FillRectangle(left + (column * scale), y + (row * scale), scale, scale, color);
                    }
                }
            }
        }
    }
}
