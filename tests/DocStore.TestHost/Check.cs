namespace DocStore.TestHost;

/// <summary>Assertions for scenarios: a failed check throws, and the scenario exits non-zero with the message.</summary>
internal static class Check
{
    public static void That(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException("check failed: " + what);
        }
    }

    public static T Throws<T>(Action action)
        where T : Exception
    {
        try
        {
            action();
        }
        catch (T e)
        {
            return e;
        }

        throw new InvalidOperationException($"check failed: expected {typeof(T).Name}");
    }
}
