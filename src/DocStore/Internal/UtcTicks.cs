namespace DocStore.Internal;

/// <summary>Times are stored as UTC ticks (INTEGER): exact round trips, and SQL compares and orders them cheaply.</summary>
internal static class UtcTicks
{
    public static long Now() => DateTime.UtcNow.Ticks;

    public static DateTimeOffset ToDateTimeOffset(long ticks) => new(ticks, TimeSpan.Zero);

    public static long From(DateTimeOffset value) => value.UtcTicks;
}
