using BenchmarkDotNet.Running;
using DocStore.Bench;
using DocStore.Bench.Harness;
using DocStore.Bench.Workloads;

return await BenchProgram.RunAsync(args);

namespace DocStore.Bench
{
    /// <summary>The entry point, callable in-process (the test suite runs <c>compare --quick</c> through it).</summary>
    public static class BenchProgram
    {
        public static async Task<int> RunAsync(string[] args, TextWriter? output = null)
        {
            output ??= Console.Out;
            void Log(string line)
            {
                output.WriteLine(line);
                output.Flush();
            }

            if (args.Length is 4 or 5 && args[0] == "first-read")
            {
                return await ColdStart.ChildAsync(args);
            }

            if (args.Length > 0 && args[0] == "micro")
            {
                BenchmarkSwitcher.FromAssembly(typeof(BenchProgram).Assembly).Run(args[1..]);
                return 0;
            }

            BenchOptions options;
            try
            {
                options = BenchOptions.Parse(args);
            }
            catch (Exception e) when (e is ArgumentException or FormatException)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }

            if (options.Encrypted)
            {
                // SQLCipher must be chosen before the process's first SQLite call.
                SqlCipher.UseSystemLibrary();
            }

            if (options.Mode is not ("compare" or "ycsb"))
            {
                Console.Error.WriteLine($"Unknown mode '{options.Mode}'.\n{BenchOptions.Usage}");
                return 2;
            }

            Log($"DocStore.Bench {options.Mode}{(options.Encrypted ? " (encrypted, SQLCipher)" : string.Empty)}: {options.Documents:N0} documents, {options.Seconds} s per workload, {options.Threads} threads for multi-thread workloads{(options.Quick ? " (quick)" : string.Empty)}");
            Log($"machine: {Report.MachineDescription()}, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
            await using var database = await BenchDatabase.BuildAsync(options, Log);
            var results = options.Mode == "ycsb"
                ? await YcsbMode.RunAsync(options, database, Log)
                : await CompareMode.RunAsync(options, database, Log);

            Log(string.Empty);
            Log(Report.Markdown(results));
            if (options.JsonPath is { } json)
            {
                Report.WriteJson(json, Report.Meta(options, database), results);
                Log($"wrote {json}");
            }

            return 0;
        }
    }
}
