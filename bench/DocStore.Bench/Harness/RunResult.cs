namespace DocStore.Bench.Harness;

/// <summary>One measured (workload, system, threads) cell.</summary>
public sealed record RunResult(string Workload, string System, int Threads, double OpsPerSecond, double P50Us, double P95Us, double P99Us, long Operations, string? Note = null);
