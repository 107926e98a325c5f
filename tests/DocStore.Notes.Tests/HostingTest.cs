using System.Diagnostics;
using System.Diagnostics.Metrics;
using DocStore.Fast;
using DocStore.Hosting;
using DocStore.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DocStore.Notes.Tests;

/// <summary>AddDocStore in a Generic Host: binding, start-up validation, actor, logging, metrics, tracing, health, maintenance, shutdown.</summary>
public sealed class HostingTest : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Options_bind_from_the_DocStore_section_then_the_lambda()
    {
        var path = Path.Combine(_temp.Path, "sub", "folder", "bound.db");
        using var host = Build(new Dictionary<string, string?> { ["DocStore:DatabasePath"] = path, ["DocStore:CacheCapacity"] = "123", ["DocStore:EnableFastPath"] = "false" }, o => o.PoolSize = 7);
        await host.StartAsync(TestContext.Current.CancellationToken);
        var options = host.Services.GetRequiredService<IOptions<DocStoreHostOptions>>().Value;
        Assert.Equal(123, options.CacheCapacity);
        Assert.Equal(7, options.PoolSize);
        var store = host.Services.GetRequiredService<OptimizedStorageSystem>();
        Assert.False(store.FastPathEnabled);
        Assert.Equal(7, store.GetFastPathStatistics().PoolSize);
        var created = await host.Services.GetRequiredService<IDocumentStore>().CreateAsync(new NewDocument { Title = "t", Type = "note", Content = "c" }, TestContext.Current.CancellationToken);
        Assert.True(File.Exists(path), "the folder is created and the file written");
        Assert.Equal(created, await store.GetAsync(created.Id, TestContext.Current.CancellationToken));
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Theory]
    [InlineData(null, null, "DocStore:DatabasePath")]
    [InlineData("x.db", "-1", "DocStore:CacheCapacity")]
    public async Task Bad_settings_fail_start_naming_the_setting(string? path, string? capacity, string named)
    {
        using var host = Build(new Dictionary<string, string?> { ["DocStore:DatabasePath"] = path is null ? null : Path.Combine(_temp.Path, path), ["DocStore:CacheCapacity"] = capacity });
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_PostgreSql_engine_is_picked_by_configuration_with_its_fast_path()
    {
        await using var db = new PostgresDatabase();
        using var host = Build(new Dictionary<string, string?> { ["DocStore:Engine"] = "PostgreSql", ["DocStore:ConnectionString"] = db.ConnectionString }, configureServices: s => s.AddHealthChecks().AddDocStore());
        await host.StartAsync(TestContext.Current.CancellationToken);
        var store = host.Services.GetRequiredService<OptimizedStorageSystem>();
        Assert.True(store.FastPathEnabled);
        Assert.StartsWith("postgresql://", store.DatabasePath, StringComparison.Ordinal);

        var documents = host.Services.GetRequiredService<IDocumentStore>();
        var created = await documents.CreateAsync(new NewDocument { Title = "t", Type = "note", Content = "c" }, TestContext.Current.CancellationToken);
        Assert.Equal(1, db.Count("documents"));
        Assert.Equal(created, await documents.GetAsync(created.Id, TestContext.Current.CancellationToken));
        Assert.Equal(1, store.GetFastPathStatistics().FastReads);
        var health = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HealthStatus.Healthy, health.Status);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task The_PostgreSql_engine_without_a_connection_string_fails_start_naming_it()
    {
        using var host = Build(new Dictionary<string, string?> { ["DocStore:Engine"] = "PostgreSql" });
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains("DocStore:ConnectionString", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_key_file_fails_start()
    {
        using var host = Build(new Dictionary<string, string?> { ["DocStore:DatabasePath"] = _temp.File("k.db"), ["DocStore:EncryptionKeyFile"] = _temp.File("no-such-key") });
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains("EncryptionKeyFile", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_actor_provider_names_who_wrote()
    {
        var actor = new SettableActor { Name = "bob" };
        using var host = Build(Settings(), configureServices: s => s.AddSingleton<IDocStoreActorProvider>(actor));
        await host.StartAsync(TestContext.Current.CancellationToken);
        var store = host.Services.GetRequiredService<IDocumentStore>();
        var first = await store.CreateAsync(new NewDocument { Title = "a", Type = "note", Content = "c" }, TestContext.Current.CancellationToken);
        actor.Name = null;
        await store.UpdateAsync(first.Id, new DocumentUpdate { Content = "d" }, TestContext.Current.CancellationToken);
        var versions = await store.GetVersionsAsync(first.Id, TestContext.Current.CancellationToken);
        Assert.Equal(["bob", "system"], versions.Select(v => v.Actor));
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Calls_are_traced_measured_and_slow_ones_logged()
    {
        var logs = new ListLogger();
        using var host = Build(Settings(("DocStore:SlowOperationThreshold", "00:00:00.0000001")), configureServices: s => s.AddLogging(b => b.AddProvider(logs)));
        var activities = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == DocStoreInstrumentation.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = a => { lock (activities) { activities.Add(a); } },
        };
        ActivitySource.AddActivityListener(listener);
        var meterFactory = host.Services.GetRequiredService<IMeterFactory>();
        var durations = new List<(string Operation, string? Error)>();
        long written = 0;
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                // Other tests' hosts run in parallel in this process: only this host's meter (scoped to its
                // IMeterFactory) counts, plus the writer's process-wide group-size histogram.
                var ours = ReferenceEquals(instrument.Meter.Scope, meterFactory) && instrument.Name is DocStoreInstrumentation.OperationDuration or DocStoreInstrumentation.DocumentsWritten;
                if (ours || instrument.Name == DocStoreInstrumentation.WriteGroupSize)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            var operation = (string)tags.ToArray().First(t => t.Key == DocStoreInstrumentation.OperationTag).Value!;
            var error = tags.ToArray().FirstOrDefault(t => t.Key == "error.type").Value as string;
            lock (durations) { durations.Add((operation, error)); }
        });
        meters.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref written, value));
        var groups = new List<int>();
        meters.SetMeasurementEventCallback<int>((instrument, value, _, _) =>
        {
            lock (groups) { groups.Add(value); }
        });
        meters.Start();

        await host.StartAsync(TestContext.Current.CancellationToken);
        var store = host.Services.GetRequiredService<IDocumentStore>();
        var created = await store.CreateAsync(new NewDocument { Title = "a", Type = "note", Content = "c" }, TestContext.Current.CancellationToken);
        await store.GetAsync(created.Id, TestContext.Current.CancellationToken);
        await Assert.ThrowsAsync<VersionConflictException>(() => store.UpdateAsync(created.Id, new DocumentUpdate { Content = "x", ExpectedVersion = 9 }, TestContext.Current.CancellationToken));
        await host.StopAsync(TestContext.Current.CancellationToken);

        lock (activities)
        {
            Assert.Contains(activities, a => a.OperationName == "docstore.create" && a.Status != ActivityStatusCode.Error);
            Assert.Contains(activities, a => a.OperationName == "docstore.get");
            Assert.Contains(activities, a => a.OperationName == "docstore.update" && a.Status == ActivityStatusCode.Error);
        }

        lock (durations)
        {
            Assert.Contains(("create", null), durations);
            Assert.Contains(("get", null), durations);
            Assert.Contains(("update", nameof(VersionConflictException)), durations);
        }

        Assert.Equal(1, Interlocked.Read(ref written));
        lock (groups)
        {
            Assert.Contains(1, groups);
        }
        Assert.Contains(logs.Messages, m => m.StartsWith("Slow DocStore call: create", StringComparison.Ordinal));
        Assert.Contains(logs.Messages, m => m.StartsWith("DocStore opened ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Health_is_healthy_while_the_store_answers_and_unhealthy_after_it_is_gone()
    {
        using var host = Build(Settings(), configureServices: s => s.AddHealthChecks().AddDocStore());
        await host.StartAsync(TestContext.Current.CancellationToken);
        var health = host.Services.GetRequiredService<HealthCheckService>();
        var report = await health.CheckHealthAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal(0L, report.Entries["docstore"].Data["documents"]);

        await host.Services.GetRequiredService<OptimizedStorageSystem>().DisposeAsync();
        report = await health.CheckHealthAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Maintenance_checkpoints_and_optimizes_on_schedule()
    {
        using var host = Build(Settings(("DocStore:CheckpointInterval", "00:00:00.050"), ("DocStore:OptimizeInterval", "00:00:00.080")));
        var meterFactory = host.Services.GetRequiredService<IMeterFactory>();
        var runs = new List<(string Task, string Outcome)>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                // Only this host's meter: other tests' hosts run in parallel in this process.
                if (instrument.Name == DocStoreInstrumentation.MaintenanceRuns && ReferenceEquals(instrument.Meter.Scope, meterFactory))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var t = tags.ToArray();
            lock (runs) { runs.Add(((string)t.First(x => x.Key == "docstore.task").Value!, (string)t.First(x => x.Key == "outcome").Value!)); }
        });
        meters.Start();
        await host.StartAsync(TestContext.Current.CancellationToken);
        await host.Services.GetRequiredService<IDocumentStore>().CreateAsync(new NewDocument { Title = "a", Type = "note", Content = "c" }, TestContext.Current.CancellationToken);

        // Bounded wait for the schedule to run each task at least once (not a timing assertion).
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            lock (runs)
            {
                if (runs.Contains(("checkpoint", "success")) && runs.Contains(("optimize", "success")))
                {
                    break;
                }
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        await host.StopAsync(TestContext.Current.CancellationToken);
        lock (runs)
        {
            Assert.Contains(("checkpoint", "success"), runs);
            Assert.Contains(("optimize", "success"), runs);
            Assert.DoesNotContain(runs, r => r.Outcome == "failure");
        }
    }

    [Fact]
    public async Task Shutdown_disposes_the_store_and_flushes_access_counts()
    {
        var path = _temp.File("shutdown.db");
        long id;
        using (var host = Build(Settings(("DocStore:DatabasePath", path))))
        {
            await host.StartAsync(TestContext.Current.CancellationToken);
            var store = host.Services.GetRequiredService<IDocumentStore>();
            id = (await store.CreateAsync(new NewDocument { Title = "a", Type = "note", Content = "c" }, TestContext.Current.CancellationToken)).Id;
            for (var i = 0; i < 5; i++)
            {
                await store.GetAsync(id, TestContext.Current.CancellationToken);
            }

            await host.StopAsync(TestContext.Current.CancellationToken);
        }

        await using var reopened = new LocalStorageSystem(new DocStoreOptions { DatabasePath = path });
        var document = await reopened.GetAsync(id, TestContext.Current.CancellationToken);
        Assert.Equal(5, document!.AccessCount);
    }

    private (string, string?)[] Settings(params (string Key, string? Value)[] extra) =>
        [("DocStore:DatabasePath", _temp.File("host.db")), .. extra];

    private static IHost Build((string Key, string? Value)[] settings, Action<IServiceCollection>? configureServices = null) =>
        Build(settings.GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Last().Value), null, configureServices);

    private static IHost Build(Dictionary<string, string?> settings, Action<DocStoreHostOptions>? configure = null, Action<IServiceCollection>? configureServices = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddDocStore(builder.Configuration, configure);
        configureServices?.Invoke(builder.Services);
        return builder.Build();
    }

    private sealed class SettableActor : IDocStoreActorProvider
    {
        public string? Name { get; set; }

        public string? GetCurrentActor() => Name;
    }

    private sealed class ListLogger : ILoggerProvider, ILogger
    {
        public List<string> Messages { get; } = [];

        public ILogger CreateLogger(string categoryName) => this;

        public void Dispose()
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Messages)
            {
                Messages.Add(formatter(state, exception));
            }
        }
    }
}
