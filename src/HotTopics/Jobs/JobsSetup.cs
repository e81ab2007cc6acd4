using HotTopics.Harvesting.Sources;
using HotTopics.Storage;
using Microsoft.Extensions.Options;
using Quartz;

namespace HotTopics.Jobs;

public static class JobsSetup
{
    /// <summary>
    /// Quartz in the web app, with its persistent ADO store in our SQLite database (tables from migration 0050,
    /// validated at start), jobs created through DI, and the sources' schedules synced before it starts.
    /// </summary>
    public static WebApplicationBuilder AddJobs(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<JobsOptions>()
            .Bind(builder.Configuration.GetSection(JobsOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => TryZone(o.TimeZone), "Jobs:TimeZone is not a known time zone (use an IANA id such as Europe/Vienna)")
            .ValidateOnStart();
        var jobs = builder.Configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();
        var storage = builder.Configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        var connectionString = new Database(Options.Create(storage)).ConnectionString;

        builder.Services.AddSingleton<HarvestSchedule>();
        // Registered before Quartz's hosted service, so sources are seeded and scheduled before the scheduler starts.
        builder.Services.AddHostedService<ScheduleStartup>();
        builder.Services.AddQuartz(q =>
        {
            q.UsePersistentStore(store =>
            {
                store.UseSqlite(connectionString);
                store.UseSystemTextJsonSerializer();
                store.ConfigureStore(o =>
                {
                    o.TablePrefix = "QRTZ_";
                    // Our migration creates the tables; Quartz only checks them, so a schema drift fails the start loudly.
                    o.SchemaProvisioning = SchemaProvisioning.Validate;
                    o.StoreJobDataAsStrings = true;
                    o.MisfireThreshold = TimeSpan.FromSeconds(jobs.MisfireThresholdSeconds);
                });
            });
        });
        // On shutdown running harvests are cancelled (they keep their committed pages and end as 'interrupted'),
        // and the host waits for that rather than for a paced harvest that may need minutes to finish.
        builder.Services.Configure<QuartzSchedulerOptions>(o => o.ShutdownJobInterruption = ShutdownJobInterruption.Always);
        builder.Services.AddQuartzHostedService(o =>
        {
            o.WaitForJobsToComplete = true;
            o.AutoStart = jobs.Enabled;
        });
        return builder;
    }

    private static bool TryZone(string id)
    {
        try
        {
            TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (TimeZoneNotFoundException)
        {
            return false;
        }
    }

    private sealed class ScheduleStartup(SourceSeeder seeder, HarvestSchedule schedule, IOptions<JobsOptions> options) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await seeder.SeedAsync(cancellationToken);
            if (options.Value.Enabled) await schedule.SyncAsync(cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
