namespace DocStore.Bench.Harness;

/// <summary>One measured (workload, system, threads) cell.</summary>
public sealed record RunResult(string Workload, string System, int Threads, double OpsPerSecond, double P50Us, double P95Us, double P99Us, long Operations, string? Note = null)
{
    /// <summary>The garbage collector's share of the measured period (null where a run is not a throughput loop).</summary>
    public GcUsage? Gc { get; init; }

    /// <summary>Ops/s of each round, when the cell was measured in several (compare's read workloads); null for one.</summary>
    public IReadOnlyList<double>? RoundOpsPerSecond { get; init; }
}
