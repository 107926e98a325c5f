namespace DocStore;

/// <summary>One invalid field of a write.</summary>
/// <param name="Field">The field, e.g. <c>Title</c>, or <c>[3].Title</c> for the fourth document of a batch.</param>
/// <param name="Message">What is wrong with it.</param>
public sealed record ValidationError(string Field, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Field}: {Message}";
}
