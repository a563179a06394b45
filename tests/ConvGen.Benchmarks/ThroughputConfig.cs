using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace ConvGen.Benchmarks;

/// <summary>
/// Adds "MACs" (per run: per sample × the <c>Batch</c> parameter, when there is one), "GFLOP/s" (2·MACs / mean time) and
/// "µs/image" (mean / Batch) columns. The per-sample MACs of a benchmark come from its category, the zoo network of that
/// name (<see cref="ZooNetwork.All"/>), so the figures follow the generator's own shape math.
/// </summary>
public sealed class ThroughputConfig : ManualConfig
{
    /// <summary>Multiply-accumulates per run, by <see cref="BenchmarkDotNet.Attributes.BenchmarkCategoryAttribute"/>.</summary>
    public static IReadOnlyDictionary<string, long> MacsByCategory { get; } =
        ZooNetwork.All.ToDictionary(n => n.Name, n => n.Macs, System.StringComparer.Ordinal);

    /// <summary>The three columns.</summary>
    public ThroughputConfig()
    {
        AddColumn(
            new MacsColumn(),
            new MeanTimeColumn("GFLOP/s", "2·MACs / mean time (one thread)", (c, meanNs) => 2.0 * MacsOf(c) / meanNs),
            new MeanTimeColumn("µs/image", "Mean time / Batch, in microseconds", (c, meanNs) => meanNs / 1000.0 / BatchOf(c)));
    }

    // Samples per run: the benchmark's Batch parameter, else 1.
    private static int BatchOf(BenchmarkCase benchmarkCase) =>
        benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "Batch")?.Value is int batch ? batch : 1;

    private static long? MacsOf(BenchmarkCase benchmarkCase)
    {
        foreach (string category in benchmarkCase.Descriptor.Categories)
        {
            if (MacsByCategory.TryGetValue(category, out long macs))
            {
                return macs * BatchOf(benchmarkCase);
            }
        }

        return null;
    }

    private abstract class ColumnBase : IColumn
    {
        public abstract string Id { get; }

        public abstract string ColumnName { get; }

        public abstract string Legend { get; }

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public abstract string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style);
    }

    private sealed class MacsColumn : ColumnBase
    {
        public override string Id => nameof(MacsColumn);

        public override string ColumnName => "MACs";

        public override string Legend => "Multiply-accumulates per run (per sample from the generated layer table, times Batch)";

        public override string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) =>
            MacsOf(benchmarkCase) is long macs ? macs.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) : "-";
    }

    // A figure computed from the mean time (ns) of a benchmark case; "-" where it has none.
    private sealed class MeanTimeColumn(string name, string legend, System.Func<BenchmarkCase, double, double?> value) : ColumnBase
    {
        public override string Id => nameof(MeanTimeColumn) + "." + name;

        public override string ColumnName => name;

        public override string Legend => legend;

        public override string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) =>
            summary[benchmarkCase]?.ResultStatistics?.Mean is double meanNs && meanNs > 0 && value(benchmarkCase, meanNs) is double v
                ? v.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)
                : "-";
    }
}
