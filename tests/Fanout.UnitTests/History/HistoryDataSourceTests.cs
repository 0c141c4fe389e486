using Fanout.History;
using Npgsql;

namespace Fanout.UnitTests.History;

public sealed class HistoryDataSourceTests
{
    private static NpgsqlConnectionStringBuilder SettingsOf(string connectionString)
    {
        using var dataSource = HistoryDataSource.Create(connectionString);
        return new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
    }

    [Fact]
    public void StatementsArePreparedAndPlannedOnceAndConnectionsAreNotResetByDefault()
    {
        var settings = SettingsOf("Host=127.0.0.1;Database=fanout;Username=fanout");

        settings.MaxAutoPrepare.ShouldBe(32);
        settings.AutoPrepareMinUsages.ShouldBe(2);
        settings.NoResetOnClose.ShouldBeTrue();
        settings.Options.ShouldBe("-c plan_cache_mode=force_generic_plan");
    }

    [Fact]
    public void WhatTheConnectionStringSetsIsKept()
    {
        var settings = SettingsOf(
            "Host=127.0.0.1;Database=fanout;Max Auto Prepare=0;AutoPrepareMinUsages=5;No Reset On Close=false;Options=-c statement_timeout=5000");

        settings.MaxAutoPrepare.ShouldBe(0);
        settings.AutoPrepareMinUsages.ShouldBe(5);
        settings.NoResetOnClose.ShouldBeFalse();
        settings.Options.ShouldBe("-c statement_timeout=5000");
    }

    [Fact]
    public void BehindPgBouncerEmptyOptionsAndNoAutoPrepareStayAsGiven()
    {
        var settings = SettingsOf("Host=127.0.0.1;Database=fanout;Max Auto Prepare=0;Options=");

        settings.MaxAutoPrepare.ShouldBe(0);
        string.IsNullOrEmpty(settings.Options).ShouldBeTrue();
    }
}
