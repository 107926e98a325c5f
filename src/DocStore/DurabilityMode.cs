namespace DocStore;

/// <summary>How hard the writer syncs commits to disk (SQLite's <c>synchronous</c> pragma).</summary>
public enum DurabilityMode
{
    /// <summary><c>synchronous=NORMAL</c>: no corruption on crash in WAL mode; the last commits may be lost on power loss.</summary>
    Normal = 1,

    /// <summary><c>synchronous=FULL</c>: every commit is synced before it returns.</summary>
    Full = 2,
}
