using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace ConvGen.Benchmarks;

/// <summary>
/// Adds "MACs" and "GFLOP/s" (2·MACs / mean time) columns. The MACs of a benchmark come from its category,
/// registered with the generated network's layer table, so the figures follow the generator's own shape math.
/// </summary>
public sealed class ThroughputConfig : ManualConfig
{
    /// <summary>Multiply-accumulates per run, by <see cref="BenchmarkDotNet.Attributes.BenchmarkCategoryAttribute"/>.</summary>
    public static IReadOnlyDictionary<string, long> MacsByCategory { get; } = new Dictionary<string, long>(System.StringComparer.Ordinal)
    {
        [ConvGenVsOrtBenchmarks.LeNet5Category] = LeNet5Sample.LeNet5.Layers.Sum(l => l.Macs),
        [ConvGenVsOrtBenchmarks.Conv3x3Category] = Networks.Conv3x3_64to64_56x56.Layers.Sum(l => l.Macs),
    };

    /// <summary>The two columns.</summary>
    public ThroughputConfig()
    {
        AddColumn(new MacsColumn(), new GflopsColumn());
    }

    private static long? MacsOf(BenchmarkCase benchmarkCase)
    {
        foreach (string category in benchmarkCase.Descriptor.Categories)
        {
            if (MacsByCategory.TryGetValue(category, out long macs))
            {
                return macs;
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

        public override string Legend => "Multiply-accumulates per run, from the generated layer table";

        public override string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) =>
            MacsOf(benchmarkCase) is long macs ? macs.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) : "-";
    }

    private sealed class GflopsColumn : ColumnBase
    {
        public override string Id => nameof(GflopsColumn);

        public override string ColumnName => "GFLOP/s";

        public override string Legend => "2·MACs / mean time (one thread)";

        public override string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            double? meanNs = summary[benchmarkCase]?.ResultStatistics?.Mean;
            return MacsOf(benchmarkCase) is long macs && meanNs is > 0
                ? (2.0 * macs / meanNs.Value).ToString("F2", System.Globalization.CultureInfo.InvariantCulture)
                : "-";
        }
    }
}
