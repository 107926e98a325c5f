using System.Text.Json.Serialization;
using DocStore.Hosting;
using DocStore.Notes;
using DocStore.Notes.Api;
using DocStore.Notes.Rendering;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddDocStore(builder.Configuration);
builder.Services.AddHttpContextAccessor();
builder.Services.AddSingleton<IDocStoreActorProvider, HttpActorProvider>();
builder.Services.AddHealthChecks().AddDocStore();
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<StoreExceptionHandler>();
builder.Services.AddSingleton<MarkdownRenderer>();
builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseDefaultFiles();
app.UseStaticFiles();
app.MapHealthChecks("/health");
app.MapDocumentEndpoints();
app.MapHistoryEndpoints();
app.MapTransferEndpoints();
app.MapAdminEndpoints();
app.Run();

/// <summary>The app's entry point (public so that in-process tests can host it).</summary>
public partial class Program;
