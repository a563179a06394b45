using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace DigitsSample;

/// <summary>
/// Draws the training curves as two line charts side by side: the mean loss per epoch on the left, the accuracy in
/// percent on the right (with the pass mark as a dashed line); training in blue, test in orange.
/// </summary>
internal static class TrainingChart
{
    private const int PanelWidth = 440;
    private const int Height = 340;
    private const int TextScale = 2;
    private const int MarginLeft = 56;
    private const int MarginRight = 18;
    private const int MarginTop = 44;
    private const int MarginBottom = 48;

    private static readonly Rgb Background = new(255, 255, 255);
    private static readonly Rgb Grid = new(228, 228, 228);
    private static readonly Rgb AxisColor = new(96, 96, 96);
    private static readonly Rgb Ink = new(48, 48, 48);
    private static readonly Rgb TrainColor = new(31, 119, 180);
    private static readonly Rgb TestColor = new(235, 120, 20);
    private static readonly Rgb PassColor = new(200, 40, 40);

    /// <summary>The picture of <paramref name="epochs"/>.</summary>
    /// <param name="epochs">One result per epoch, in order; at least one.</param>
    /// <param name="passPercent">The accuracy the run must reach, drawn as a dashed line.</param>
    /// <returns>The chart.</returns>
    public static Raster Draw(IReadOnlyList<EpochResult> epochs, double passPercent)
    {
        int count = epochs.Count;
        double[] trainLoss = new double[count], testLoss = new double[count];
        double[] trainAccuracy = new double[count], testAccuracy = new double[count];
        for (int i = 0; i < count; i++)
        {
            (trainLoss[i], trainAccuracy[i]) = (epochs[i].Train.Loss, epochs[i].Train.AccuracyPercent);
            (testLoss[i], testAccuracy[i]) = (epochs[i].Test.Loss, epochs[i].Test.AccuracyPercent);
        }

        double maxLoss = Math.Max(trainLoss.Max(), testLoss.Max());
        double minAccuracy = Math.Min(passPercent, Math.Min(trainAccuracy.Min(), testAccuracy.Min()));
        var raster = new Raster(2 * PanelWidth, Height, Background);
        DrawPanel(raster, 0, "LOSS", NiceAxis(0, maxLoss), trainLoss, testLoss, passLine: null);
        DrawPanel(raster, PanelWidth, "ACCURACY %", NiceAxis(minAccuracy, 100), trainAccuracy, testAccuracy, passPercent);
        return raster;
    }

    private static void DrawPanel(Raster raster, int panelLeft, string title, Axis y, double[] train, double[] test, double? passLine)
    {
        int left = panelLeft + MarginLeft, right = panelLeft + PanelWidth - MarginRight;
        int top = MarginTop, bottom = Height - MarginBottom;
        int count = train.Length;
        int textHeight = PixelFont.GlyphHeight * TextScale;

        int ToX(int index) => count == 1 ? (left + right) / 2 : left + (int)Math.Round((double)index * (right - left) / (count - 1));
        int ToY(double value) => bottom - (int)Math.Round((value - y.Min) / (y.Max - y.Min) * (bottom - top));

        // Horizontal grid lines with their values on the left.
        for (int i = 0; i <= y.Steps; i++)
        {
            double value = y.Min + (i * y.Step);
            int row = ToY(value);
            raster.DrawLine(left, row, right, row, Grid);
            string label = Math.Round(value, 6).ToString("0.###", CultureInfo.InvariantCulture);
            raster.DrawText(left - 8 - (PixelFont.Measure(label) * TextScale), row - (textHeight / 2), label, Ink, TextScale);
        }

        // Vertical grid lines at labelled epochs (1, 1 + every, ...), at most about ten.
        int every = Math.Max(1, (int)Math.Ceiling(count / 10.0));
        for (int index = 0; index < count; index++)
        {
            int epoch = index + 1;
            if (index % every != 0)
            {
                continue;
            }

            int column = ToX(index);
            raster.DrawLine(column, top, column, bottom, Grid);
            string label = epoch.ToString(CultureInfo.InvariantCulture);
            raster.DrawText(column - (PixelFont.Measure(label) * TextScale / 2), bottom + 8, label, Ink, TextScale);
        }

        if (passLine is double pass)
        {
            raster.DrawDashedHorizontalLine(left, right, ToY(pass), PassColor, dash: 6);
        }

        raster.DrawLine(left, top, left, bottom, AxisColor);
        raster.DrawLine(left, bottom, right, bottom, AxisColor);
        raster.DrawText(left, (MarginTop - textHeight) / 2, title, Ink, TextScale);
        const string XTitle = "EPOCH";
        raster.DrawText(((left + right) / 2) - (PixelFont.Measure(XTitle) * TextScale / 2), Height - textHeight - 8, XTitle, Ink, TextScale);

        // Legend, top right: a swatch and a name per series.
        int legendX = right - (PixelFont.Measure("TRAIN  TEST") * TextScale) - (2 * (textHeight + 6));
        legendX = DrawLegendEntry(raster, legendX, (MarginTop - textHeight) / 2, "TRAIN", TrainColor);
        DrawLegendEntry(raster, legendX + (PixelFont.Measure("  ") * TextScale), (MarginTop - textHeight) / 2, "TEST", TestColor);

        foreach ((double[] values, Rgb color) in new[] { (train, TrainColor), (test, TestColor) })
        {
            for (int i = 0; i < count; i++)
            {
                int x = ToX(i), row = ToY(values[i]);
                if (i > 0)
                {
                    raster.DrawLine(ToX(i - 1), ToY(values[i - 1]), x, row, color, thickness: 2);
                }

                raster.FillRectangle(x - 2, row - 2, 5, 5, color);
            }
        }
    }

    /// <summary>Draws a colour swatch and a name; returns the column after them.</summary>
    private static int DrawLegendEntry(Raster raster, int x, int y, string name, Rgb color)
    {
        int size = PixelFont.GlyphHeight * TextScale;
        raster.FillRectangle(x, y, size, size, color);
        raster.DrawText(x + size + 6, y, name, Ink, TextScale);
        return x + size + 6 + (PixelFont.Measure(name) * TextScale);
    }

    /// <summary>
    /// An axis from <paramref name="low"/> to <paramref name="high"/> widened to whole multiples of a round step
    /// (1, 2, 2.5 or 5 times a power of ten) that gives about five intervals.
    /// </summary>
    private static Axis NiceAxis(double low, double high)
    {
        if (!(high > low))
        {
            high = low + 1;
        }

        double raw = (high - low) / 5;
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = 10 * magnitude;
        foreach (double multiple in (ReadOnlySpan<double>)[1, 2, 2.5, 5])
        {
            if (multiple * magnitude >= raw)
            {
                step = multiple * magnitude;
                break;
            }
        }

        double min = Math.Floor((low / step) + 1e-9) * step;
        int steps = (int)Math.Ceiling(((high - min) / step) - 1e-9);
        return new Axis(min, min + (steps * step), step, steps);
    }

    private readonly record struct Axis(double Min, double Max, double Step, int Steps);
}
