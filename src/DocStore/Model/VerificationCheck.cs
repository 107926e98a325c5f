namespace DocStore;

/// <summary>One check of a <see cref="VerificationReport"/>.</summary>
/// <param name="Name">What was checked, e.g. <c>versions.history</c>.</param>
/// <param name="Passed">Whether it found nothing wrong.</param>
/// <param name="Problems">How many problems it found (rows, or SQLite's lines).</param>
/// <param name="Detail">What it checks, and what it found.</param>
public sealed record VerificationCheck(string Name, bool Passed, long Problems, string Detail)
{
    /// <inheritdoc />
    public override string ToString() => $"{(Passed ? "ok  " : "FAIL")} {Name}: {Detail}";
}
