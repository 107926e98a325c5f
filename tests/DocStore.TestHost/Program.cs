using DocStore.TestHost;

// Usage: DocStore.TestHost <scenario> [arguments]. Exit code 0 means the scenario's checks passed;
// anything else (including a native crash, 139) is a failure the calling test reports with the output.
return await Scenarios.RunAsync(args);
