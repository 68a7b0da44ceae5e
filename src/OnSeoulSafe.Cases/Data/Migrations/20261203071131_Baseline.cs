using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace OnSeoulSafe.Cases.Data.Migrations
{
    /// <inheritdoc />
    public partial class Baseline : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateSequence(
                name: "case_numbers");

            migrationBuilder.CreateTable(
                name: "AccessLog",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    StaffId = table.Column<Guid>(type: "uuid", nullable: true),
                    ActorRole = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    CaseId = table.Column<long>(type: "bigint", nullable: true),
                    Action = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    What = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccessLog", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AccessLogSeals",
                columns: table => new
                {
                    SealNumber = table.Column<long>(type: "bigint", nullable: false),
                    EntryId = table.Column<long>(type: "bigint", nullable: false),
                    PreviousHash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    Hash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    SealedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccessLogSeals", x => x.SealNumber);
                });

            migrationBuilder.CreateTable(
                name: "AspNetRoles",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    NormalizedName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    ConcurrencyStamp = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetRoles", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUsers",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    FirstName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    FullName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Languages = table.Column<List<string>>(type: "text[]", nullable: false),
                    IsActive = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UserName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    NormalizedUserName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    Email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    NormalizedEmail = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    EmailConfirmed = table.Column<bool>(type: "boolean", nullable: false),
                    PasswordHash = table.Column<string>(type: "text", nullable: true),
                    SecurityStamp = table.Column<string>(type: "text", nullable: true),
                    ConcurrencyStamp = table.Column<string>(type: "text", nullable: true),
                    PhoneNumber = table.Column<string>(type: "text", nullable: true),
                    PhoneNumberConfirmed = table.Column<bool>(type: "boolean", nullable: false),
                    TwoFactorEnabled = table.Column<bool>(type: "boolean", nullable: false),
                    LockoutEnd = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LockoutEnabled = table.Column<bool>(type: "boolean", nullable: false),
                    AccessFailedCount = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUsers", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "DashboardTallies",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Measure = table.Column<short>(type: "smallint", maxLength: 40, nullable: false),
                    Month = table.Column<DateOnly>(type: "date", nullable: false),
                    CompanionId = table.Column<Guid>(type: "uuid", nullable: false),
                    Crime = table.Column<short>(type: "smallint", nullable: false),
                    IsMinor = table.Column<bool>(type: "boolean", nullable: false),
                    Key1 = table.Column<int>(type: "integer", nullable: false),
                    Key2 = table.Column<int>(type: "integer", nullable: false),
                    N = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DashboardTallies", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "DashboardTotals",
                columns: table => new
                {
                    Measure = table.Column<short>(type: "smallint", maxLength: 40, nullable: false),
                    Month = table.Column<DateOnly>(type: "date", nullable: false),
                    CompanionId = table.Column<Guid>(type: "uuid", nullable: false),
                    Crime = table.Column<short>(type: "smallint", nullable: false),
                    IsMinor = table.Column<bool>(type: "boolean", nullable: false),
                    Key1 = table.Column<int>(type: "integer", nullable: false),
                    Key2 = table.Column<int>(type: "integer", nullable: false),
                    N = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DashboardTotals", x => new { x.Measure, x.CompanionId, x.Crime, x.Month, x.IsMinor, x.Key1, x.Key2 });
                })
                .Annotation("Npgsql:StorageParameter:autovacuum_vacuum_insert_scale_factor", 0)
                .Annotation("Npgsql:StorageParameter:autovacuum_vacuum_insert_threshold", 1000)
                .Annotation("Npgsql:StorageParameter:autovacuum_vacuum_scale_factor", 0)
                .Annotation("Npgsql:StorageParameter:autovacuum_vacuum_threshold", 1000);

            migrationBuilder.CreateTable(
                name: "DataProtectionKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    FriendlyName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Xml = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DataProtectionKeys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "MonitoredHosts",
                columns: table => new
                {
                    HostKey = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    NextAllowedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    MinimumDelay = table.Column<TimeSpan>(type: "interval", nullable: false),
                    MaxConcurrency = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MonitoredHosts", x => x.HostKey);
                });

            migrationBuilder.CreateTable(
                name: "PartnerInstitutions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Track = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Contact = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    IsActive = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PartnerInstitutions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Platforms",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    HostPatterns = table.Column<List<string>>(type: "text[]", nullable: false),
                    Channel = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    RequestAddress = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    TemplateKo = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    TemplateEn = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    IsActive = table.Column<bool>(type: "boolean", nullable: false),
                    RemovedPageMarker = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Platforms", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Victims",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Nickname = table.Column<byte[]>(type: "bytea", nullable: true),
                    PreferredLanguage = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Victims", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AspNetRoleClaims",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RoleId = table.Column<Guid>(type: "uuid", nullable: false),
                    ClaimType = table.Column<string>(type: "text", nullable: true),
                    ClaimValue = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetRoleClaims", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AspNetRoleClaims_AspNetRoles_RoleId",
                        column: x => x.RoleId,
                        principalTable: "AspNetRoles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserClaims",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    ClaimType = table.Column<string>(type: "text", nullable: true),
                    ClaimValue = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserClaims", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AspNetUserClaims_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserLogins",
                columns: table => new
                {
                    LoginProvider = table.Column<string>(type: "text", nullable: false),
                    ProviderKey = table.Column<string>(type: "text", nullable: false),
                    ProviderDisplayName = table.Column<string>(type: "text", nullable: true),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserLogins", x => new { x.LoginProvider, x.ProviderKey });
                    table.ForeignKey(
                        name: "FK_AspNetUserLogins_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserRoles",
                columns: table => new
                {
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    RoleId = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserRoles", x => new { x.UserId, x.RoleId });
                    table.ForeignKey(
                        name: "FK_AspNetUserRoles_AspNetRoles_RoleId",
                        column: x => x.RoleId,
                        principalTable: "AspNetRoles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_AspNetUserRoles_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserTokens",
                columns: table => new
                {
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    LoginProvider = table.Column<string>(type: "text", nullable: false),
                    Name = table.Column<string>(type: "text", nullable: false),
                    Value = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserTokens", x => new { x.UserId, x.LoginProvider, x.Name });
                    table.ForeignKey(
                        name: "FK_AspNetUserTokens_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MonitoringSources",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    StartAddress = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    HostKey = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    PlatformId = table.Column<int>(type: "integer", nullable: true),
                    MaxDepth = table.Column<int>(type: "integer", nullable: false),
                    Interval = table.Column<TimeSpan>(type: "interval", nullable: false),
                    MaxConcurrency = table.Column<int>(type: "integer", nullable: false),
                    RequestsPerSecond = table.Column<double>(type: "double precision", nullable: false),
                    IsPaused = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastCrawlStartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MonitoringSources", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MonitoringSources_Platforms_PlatformId",
                        column: x => x.PlatformId,
                        principalTable: "Platforms",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Cases",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false),
                    Reference = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Status = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Priority = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    CrimeTypes = table.Column<string[]>(type: "text[]", nullable: false),
                    IsMinor = table.Column<bool>(type: "boolean", nullable: false),
                    VictimId = table.Column<Guid>(type: "uuid", nullable: false),
                    AssignedCompanionId = table.Column<Guid>(type: "uuid", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    TriagedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    AssignedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    FirstContactAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LastContactAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ClosedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Outcome = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    ClosingNote = table.Column<byte[]>(type: "bytea", nullable: true),
                    ErasedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    IntakeFingerprint = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    AccessCodeHash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    VictimSessionVersion = table.Column<int>(type: "integer", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false),
                    NameInDeletionRequests = table.Column<bool>(type: "boolean", nullable: false),
                    RiskIsMinor = table.Column<bool>(type: "boolean", nullable: false),
                    RiskOffenderKnowsAddress = table.Column<bool>(type: "boolean", nullable: false),
                    RiskOngoingThreats = table.Column<bool>(type: "boolean", nullable: false),
                    RiskSelfHarmThoughts = table.Column<bool>(type: "boolean", nullable: false),
                    ContactChannel = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    ContactEmail = table.Column<byte[]>(type: "bytea", nullable: true),
                    ContactPhone = table.Column<byte[]>(type: "bytea", nullable: true),
                    ContactSafeFrom = table.Column<TimeOnly>(type: "time without time zone", nullable: true),
                    ContactSafeUntil = table.Column<TimeOnly>(type: "time without time zone", nullable: true),
                    ContactSafeWord = table.Column<byte[]>(type: "bytea", nullable: true),
                    ContactVoicemailSafe = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Cases", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Cases_AspNetUsers_AssignedCompanionId",
                        column: x => x.AssignedCompanionId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Cases_Victims_VictimId",
                        column: x => x.VictimId,
                        principalTable: "Victims",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "MonitoringWork",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Address = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    HostKey = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    SourceId = table.Column<int>(type: "integer", nullable: true),
                    Depth = table.Column<int>(type: "integer", nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    NotBefore = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LeasedUntil = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LeaseToken = table.Column<Guid>(type: "uuid", nullable: true),
                    DeadAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LastError = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MonitoringWork", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MonitoringWork_MonitoringSources_SourceId",
                        column: x => x.SourceId,
                        principalTable: "MonitoringSources",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "Assignments",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CaseId = table.Column<long>(type: "bigint", nullable: false),
                    CompanionId = table.Column<Guid>(type: "uuid", nullable: false),
                    AssignedById = table.Column<Guid>(type: "uuid", nullable: false),
                    AssignedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    EndedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Assignments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Assignments_AspNetUsers_AssignedById",
                        column: x => x.AssignedById,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Assignments_AspNetUsers_CompanionId",
                        column: x => x.CompanionId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Assignments_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "CodeRecoveries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CaseId = table.Column<long>(type: "bigint", nullable: true),
                    RequestedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ConfirmationNumber = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: false),
                    PickupHash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    Status = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    DecidedById = table.Column<Guid>(type: "uuid", nullable: true),
                    DecidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CollectedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CodeRecoveries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CodeRecoveries_AspNetUsers_DecidedById",
                        column: x => x.DecidedById,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_CodeRecoveries_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Consents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CaseId = table.Column<long>(type: "bigint", nullable: false),
                    Track = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    PartnerInstitutionId = table.Column<int>(type: "integer", nullable: true),
                    GivenAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    WithdrawnAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Consents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Consents_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_Consents_PartnerInstitutions_PartnerInstitutionId",
                        column: x => x.PartnerInstitutionId,
                        principalTable: "PartnerInstitutions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ContentItems",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CaseId = table.Column<long>(type: "bigint", nullable: true),
                    Url = table.Column<byte[]>(type: "bytea", nullable: false),
                    UrlFingerprint = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    PlatformId = table.Column<int>(type: "integer", nullable: true),
                    Kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    FoundBy = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    IsMinor = table.Column<bool>(type: "boolean", nullable: false),
                    FirstSeenAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    PerceptualHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Status = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    StatusChangedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastCheckedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LastCheckOutcome = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    LastCheckHashMatched = table.Column<bool>(type: "boolean", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ContentItems", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ContentItems_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ContentItems_Platforms_PlatformId",
                        column: x => x.PlatformId,
                        principalTable: "Platforms",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ErasureRequests",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CaseId = table.Column<long>(type: "bigint", nullable: false),
                    RequestedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Status = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    FirstApproverId = table.Column<Guid>(type: "uuid", nullable: true),
                    FirstApprovedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    SecondApproverId = table.Column<Guid>(type: "uuid", nullable: true),
                    CompletedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RejectionReason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ErasureRequests", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ErasureRequests_AspNetUsers_FirstApproverId",
                        column: x => x.FirstApproverId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ErasureRequests_AspNetUsers_SecondApproverId",
                        column: x => x.SecondApproverId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ErasureRequests_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "EvidenceHashes",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CaseId = table.Column<long>(type: "bigint", nullable: false),
                    Sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    SizeBytes = table.Column<long>(type: "bigint", nullable: true),
                    AddedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EvidenceHashes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EvidenceHashes_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "HashMatches",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CaseId = table.Column<long>(type: "bigint", nullable: false),
                    Sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Source = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    MatchedHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Distance = table.Column<int>(type: "integer", nullable: true),
                    DetectedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    AcknowledgedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    AcknowledgedById = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HashMatches", x => x.Id);
                    table.ForeignKey(
                        name: "FK_HashMatches_AspNetUsers_AcknowledgedById",
                        column: x => x.AcknowledgedById,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_HashMatches_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Messages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CaseId = table.Column<long>(type: "bigint", nullable: false),
                    Sender = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    StaffId = table.Column<Guid>(type: "uuid", nullable: true),
                    Body = table.Column<byte[]>(type: "bytea", nullable: false),
                    SentAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ReadAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Messages", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Messages_AspNetUsers_StaffId",
                        column: x => x.StaffId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Messages_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "NarrativeAmendments",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CaseId = table.Column<long>(type: "bigint", nullable: false),
                    Text = table.Column<byte[]>(type: "bytea", nullable: false),
                    StaffId = table.Column<Guid>(type: "uuid", nullable: true),
                    AddedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NarrativeAmendments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_NarrativeAmendments_AspNetUsers_StaffId",
                        column: x => x.StaffId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_NarrativeAmendments_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Narratives",
                columns: table => new
                {
                    CaseId = table.Column<long>(type: "bigint", nullable: false),
                    Text = table.Column<byte[]>(type: "bytea", nullable: false),
                    HappenedOn = table.Column<DateOnly>(type: "date", nullable: true),
                    WrittenAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Narratives", x => x.CaseId);
                    table.ForeignKey(
                        name: "FK_Narratives_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ServiceTracks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CaseId = table.Column<long>(type: "bigint", nullable: false),
                    Kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Status = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    ResponsibleStaffId = table.Column<Guid>(type: "uuid", nullable: true),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CompletedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ServiceTracks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ServiceTracks_AspNetUsers_ResponsibleStaffId",
                        column: x => x.ResponsibleStaffId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ServiceTracks_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "TimelineEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CaseId = table.Column<long>(type: "bigint", nullable: false),
                    Kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Track = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    OccurredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    StaffId = table.Column<Guid>(type: "uuid", nullable: true),
                    Detail = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Place = table.Column<byte[]>(type: "bytea", nullable: true),
                    DurationMinutes = table.Column<int>(type: "integer", nullable: true),
                    Note = table.Column<byte[]>(type: "bytea", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TimelineEvents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TimelineEvents_AspNetUsers_StaffId",
                        column: x => x.StaffId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_TimelineEvents_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ContentItemEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ContentItemId = table.Column<long>(type: "bigint", nullable: false),
                    From = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    To = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    StaffId = table.Column<Guid>(type: "uuid", nullable: true),
                    PlatformId = table.Column<int>(type: "integer", nullable: true),
                    Note = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ContentItemEvents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ContentItemEvents_ContentItems_ContentItemId",
                        column: x => x.ContentItemId,
                        principalTable: "ContentItems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "DeletionRequests",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ContentItemId = table.Column<long>(type: "bigint", nullable: false),
                    PlatformId = table.Column<int>(type: "integer", nullable: false),
                    Channel = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Language = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: false),
                    RequestedById = table.Column<Guid>(type: "uuid", nullable: true),
                    RequestedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ResolvedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Outcome = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    VerifiedGoneAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ReappearedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeletionRequests", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DeletionRequests_AspNetUsers_RequestedById",
                        column: x => x.RequestedById,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_DeletionRequests_ContentItems_ContentItemId",
                        column: x => x.ContentItemId,
                        principalTable: "ContentItems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_DeletionRequests_Platforms_PlatformId",
                        column: x => x.PlatformId,
                        principalTable: "Platforms",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "MonitorReports",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    MonitorId = table.Column<Guid>(type: "uuid", nullable: false),
                    Url = table.Column<byte[]>(type: "bytea", nullable: false),
                    UrlFingerprint = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    PlatformId = table.Column<int>(type: "integer", nullable: true),
                    Kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Note = table.Column<byte[]>(type: "bytea", nullable: true),
                    Sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    ReportedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Status = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    TriagedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    TriagedById = table.Column<Guid>(type: "uuid", nullable: true),
                    DismissReason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    CaseId = table.Column<long>(type: "bigint", nullable: true),
                    ContentItemId = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MonitorReports", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MonitorReports_AspNetUsers_MonitorId",
                        column: x => x.MonitorId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_MonitorReports_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_MonitorReports_ContentItems_ContentItemId",
                        column: x => x.ContentItemId,
                        principalTable: "ContentItems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_MonitorReports_Platforms_PlatformId",
                        column: x => x.PlatformId,
                        principalTable: "Platforms",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Referrals",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CaseId = table.Column<long>(type: "bigint", nullable: false),
                    ServiceTrackId = table.Column<long>(type: "bigint", nullable: false),
                    PartnerInstitutionId = table.Column<int>(type: "integer", nullable: false),
                    ReferredById = table.Column<Guid>(type: "uuid", nullable: false),
                    ReferredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Status = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Note = table.Column<byte[]>(type: "bytea", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Referrals", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Referrals_AspNetUsers_ReferredById",
                        column: x => x.ReferredById,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Referrals_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_Referrals_PartnerInstitutions_PartnerInstitutionId",
                        column: x => x.PartnerInstitutionId,
                        principalTable: "PartnerInstitutions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Referrals_ServiceTracks_ServiceTrackId",
                        column: x => x.ServiceTrackId,
                        principalTable: "ServiceTracks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "HashBankEntries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CaseId = table.Column<long>(type: "bigint", nullable: true),
                    MonitorReportId = table.Column<long>(type: "bigint", nullable: true),
                    Kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Hash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    Quality = table.Column<short>(type: "smallint", nullable: true),
                    VideoGroup = table.Column<Guid>(type: "uuid", nullable: true),
                    FrameSecond = table.Column<int>(type: "integer", nullable: true),
                    SuppliedBy = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    AddedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HashBankEntries", x => x.Id);
                    table.CheckConstraint("CK_HashBankEntries_Hash", "length(\"Hash\") = 32");
                    table.CheckConstraint("CK_HashBankEntries_Owner", "\"CaseId\" IS NOT NULL OR \"MonitorReportId\" IS NOT NULL");
                    table.ForeignKey(
                        name: "FK_HashBankEntries_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_HashBankEntries_MonitorReports_MonitorReportId",
                        column: x => x.MonitorReportId,
                        principalTable: "MonitorReports",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AccessLog_At",
                table: "AccessLog",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_AccessLog_CaseId_At",
                table: "AccessLog",
                columns: new[] { "CaseId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_AccessLog_StaffId_At",
                table: "AccessLog",
                columns: new[] { "StaffId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_AccessLogSeals_EntryId",
                table: "AccessLogSeals",
                column: "EntryId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AspNetRoleClaims_RoleId",
                table: "AspNetRoleClaims",
                column: "RoleId");

            migrationBuilder.CreateIndex(
                name: "RoleNameIndex",
                table: "AspNetRoles",
                column: "NormalizedName",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUserClaims_UserId",
                table: "AspNetUserClaims",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUserLogins_UserId",
                table: "AspNetUserLogins",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUserRoles_RoleId",
                table: "AspNetUserRoles",
                column: "RoleId");

            migrationBuilder.CreateIndex(
                name: "EmailIndex",
                table: "AspNetUsers",
                column: "NormalizedEmail");

            migrationBuilder.CreateIndex(
                name: "UserNameIndex",
                table: "AspNetUsers",
                column: "NormalizedUserName",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Assignments_AssignedById",
                table: "Assignments",
                column: "AssignedById");

            migrationBuilder.CreateIndex(
                name: "IX_Assignments_CaseId_AssignedAt",
                table: "Assignments",
                columns: new[] { "CaseId", "AssignedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Assignments_CompanionId",
                table: "Assignments",
                column: "CompanionId");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_AssignedCompanionId_Status",
                table: "Cases",
                columns: new[] { "AssignedCompanionId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_AwaitingFirstContact",
                table: "Cases",
                columns: new[] { "AssignedCompanionId", "Priority", "CreatedAt" },
                filter: "\"FirstContactAt\" IS NULL AND \"AssignedCompanionId\" IS NOT NULL AND \"Status\" IN ('Assigned', 'InProgress')");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_CreatedAt",
                table: "Cases",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_IntakeFingerprint",
                table: "Cases",
                column: "IntakeFingerprint",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Cases_IntakeQueue",
                table: "Cases",
                columns: new[] { "Priority", "CreatedAt" },
                filter: "\"AssignedCompanionId\" IS NULL AND \"Status\" IN ('New', 'Triaged')");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_Reference",
                table: "Cases",
                column: "Reference",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Cases_VictimId",
                table: "Cases",
                column: "VictimId");

            migrationBuilder.CreateIndex(
                name: "IX_CodeRecoveries_CaseId_Status",
                table: "CodeRecoveries",
                columns: new[] { "CaseId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_CodeRecoveries_DecidedById",
                table: "CodeRecoveries",
                column: "DecidedById");

            migrationBuilder.CreateIndex(
                name: "IX_Consents_CaseId_Track",
                table: "Consents",
                columns: new[] { "CaseId", "Track" });

            migrationBuilder.CreateIndex(
                name: "IX_Consents_PartnerInstitutionId",
                table: "Consents",
                column: "PartnerInstitutionId");

            migrationBuilder.CreateIndex(
                name: "IX_ContentItemEvents_ContentItemId_At",
                table: "ContentItemEvents",
                columns: new[] { "ContentItemId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_ContentItems_CaseId_UrlFingerprint",
                table: "ContentItems",
                columns: new[] { "CaseId", "UrlFingerprint" },
                unique: true)
                .Annotation("Npgsql:NullsDistinct", false);

            migrationBuilder.CreateIndex(
                name: "IX_ContentItems_PlatformId",
                table: "ContentItems",
                column: "PlatformId");

            migrationBuilder.CreateIndex(
                name: "IX_ContentItems_Sha256",
                table: "ContentItems",
                column: "Sha256",
                filter: "\"Sha256\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_ContentItems_Status_LastCheckedAt",
                table: "ContentItems",
                columns: new[] { "Status", "LastCheckedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_DashboardTotals_PerCompanion",
                table: "DashboardTotals",
                columns: new[] { "Measure", "Crime", "CompanionId", "Month", "IsMinor", "Key1", "Key2" })
                .Annotation("Npgsql:IndexInclude", new[] { "N" });

            migrationBuilder.CreateIndex(
                name: "IX_DashboardTotals_Read",
                table: "DashboardTotals",
                columns: new[] { "Measure", "CompanionId", "Crime", "Month", "IsMinor", "Key1", "Key2" })
                .Annotation("Npgsql:IndexInclude", new[] { "N" });

            migrationBuilder.CreateIndex(
                name: "IX_DeletionRequests_ContentItemId",
                table: "DeletionRequests",
                column: "ContentItemId");

            migrationBuilder.CreateIndex(
                name: "IX_DeletionRequests_PlatformId_RequestedAt",
                table: "DeletionRequests",
                columns: new[] { "PlatformId", "RequestedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_DeletionRequests_RequestedById",
                table: "DeletionRequests",
                column: "RequestedById");

            migrationBuilder.CreateIndex(
                name: "IX_ErasureRequests_CaseId",
                table: "ErasureRequests",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_ErasureRequests_FirstApproverId",
                table: "ErasureRequests",
                column: "FirstApproverId");

            migrationBuilder.CreateIndex(
                name: "IX_ErasureRequests_SecondApproverId",
                table: "ErasureRequests",
                column: "SecondApproverId");

            migrationBuilder.CreateIndex(
                name: "IX_ErasureRequests_Status_RequestedAt",
                table: "ErasureRequests",
                columns: new[] { "Status", "RequestedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_EvidenceHashes_CaseId_Sha256",
                table: "EvidenceHashes",
                columns: new[] { "CaseId", "Sha256" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_EvidenceHashes_Sha256",
                table: "EvidenceHashes",
                column: "Sha256");

            migrationBuilder.CreateIndex(
                name: "IX_HashBankEntries_CaseId",
                table: "HashBankEntries",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_HashBankEntries_MonitorReportId",
                table: "HashBankEntries",
                column: "MonitorReportId");

            migrationBuilder.CreateIndex(
                name: "IX_HashMatches_AcknowledgedById",
                table: "HashMatches",
                column: "AcknowledgedById");

            migrationBuilder.CreateIndex(
                name: "IX_HashMatches_CaseId_Sha256_Source",
                table: "HashMatches",
                columns: new[] { "CaseId", "Sha256", "Source" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Messages_CaseId_SentAt",
                table: "Messages",
                columns: new[] { "CaseId", "SentAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Messages_StaffId",
                table: "Messages",
                column: "StaffId");

            migrationBuilder.CreateIndex(
                name: "IX_MonitoredHosts_NextAllowedAt",
                table: "MonitoredHosts",
                column: "NextAllowedAt");

            migrationBuilder.CreateIndex(
                name: "IX_MonitoringSources_Name",
                table: "MonitoringSources",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MonitoringSources_PlatformId",
                table: "MonitoringSources",
                column: "PlatformId");

            migrationBuilder.CreateIndex(
                name: "IX_MonitoringWork_HostKey_NotBefore",
                table: "MonitoringWork",
                columns: new[] { "HostKey", "NotBefore" },
                filter: "\"DeadAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_MonitoringWork_Kind_Address",
                table: "MonitoringWork",
                columns: new[] { "Kind", "Address" },
                unique: true,
                filter: "\"DeadAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_MonitoringWork_SourceId",
                table: "MonitoringWork",
                column: "SourceId");

            migrationBuilder.CreateIndex(
                name: "IX_MonitorReports_CaseId",
                table: "MonitorReports",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_MonitorReports_ContentItemId",
                table: "MonitorReports",
                column: "ContentItemId");

            migrationBuilder.CreateIndex(
                name: "IX_MonitorReports_MonitorId_ReportedAt",
                table: "MonitorReports",
                columns: new[] { "MonitorId", "ReportedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_MonitorReports_PlatformId",
                table: "MonitorReports",
                column: "PlatformId");

            migrationBuilder.CreateIndex(
                name: "IX_MonitorReports_Status_ReportedAt",
                table: "MonitorReports",
                columns: new[] { "Status", "ReportedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_MonitorReports_UrlFingerprint",
                table: "MonitorReports",
                column: "UrlFingerprint");

            migrationBuilder.CreateIndex(
                name: "IX_NarrativeAmendments_CaseId_AddedAt",
                table: "NarrativeAmendments",
                columns: new[] { "CaseId", "AddedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_NarrativeAmendments_StaffId",
                table: "NarrativeAmendments",
                column: "StaffId");

            migrationBuilder.CreateIndex(
                name: "IX_PartnerInstitutions_Track_Name",
                table: "PartnerInstitutions",
                columns: new[] { "Track", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Platforms_Name",
                table: "Platforms",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Referrals_CaseId",
                table: "Referrals",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_Referrals_PartnerInstitutionId",
                table: "Referrals",
                column: "PartnerInstitutionId");

            migrationBuilder.CreateIndex(
                name: "IX_Referrals_ReferredById",
                table: "Referrals",
                column: "ReferredById");

            migrationBuilder.CreateIndex(
                name: "IX_Referrals_ServiceTrackId",
                table: "Referrals",
                column: "ServiceTrackId");

            migrationBuilder.CreateIndex(
                name: "IX_ServiceTracks_CaseId_Kind",
                table: "ServiceTracks",
                columns: new[] { "CaseId", "Kind" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ServiceTracks_Kind_Status",
                table: "ServiceTracks",
                columns: new[] { "Kind", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_ServiceTracks_ResponsibleStaffId",
                table: "ServiceTracks",
                column: "ResponsibleStaffId");

            migrationBuilder.CreateIndex(
                name: "IX_TimelineEvents_Agenda",
                table: "TimelineEvents",
                columns: new[] { "StaffId", "OccurredAt" },
                filter: "\"Kind\" = 'Appointment'");

            migrationBuilder.CreateIndex(
                name: "IX_TimelineEvents_CaseId_OccurredAt",
                table: "TimelineEvents",
                columns: new[] { "CaseId", "OccurredAt" },
                descending: new[] { false, true });

            // What EF Core does not model, kept as SQL beside the migrations: the hash bank's trigger, then the grants
            // (last, so they cover every table above).
            migrationBuilder.Sql(MigrationSql.HashBankNotify);
            migrationBuilder.Sql(AccessControl.Sql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER \"HashBankEntries_notify\" ON \"HashBankEntries\"; DROP FUNCTION hash_bank_notify();");

            migrationBuilder.DropTable(
                name: "AccessLog");

            migrationBuilder.DropTable(
                name: "AccessLogSeals");

            migrationBuilder.DropTable(
                name: "AspNetRoleClaims");

            migrationBuilder.DropTable(
                name: "AspNetUserClaims");

            migrationBuilder.DropTable(
                name: "AspNetUserLogins");

            migrationBuilder.DropTable(
                name: "AspNetUserRoles");

            migrationBuilder.DropTable(
                name: "AspNetUserTokens");

            migrationBuilder.DropTable(
                name: "Assignments");

            migrationBuilder.DropTable(
                name: "CodeRecoveries");

            migrationBuilder.DropTable(
                name: "Consents");

            migrationBuilder.DropTable(
                name: "ContentItemEvents");

            migrationBuilder.DropTable(
                name: "DashboardTallies");

            migrationBuilder.DropTable(
                name: "DashboardTotals");

            migrationBuilder.DropTable(
                name: "DataProtectionKeys");

            migrationBuilder.DropTable(
                name: "DeletionRequests");

            migrationBuilder.DropTable(
                name: "ErasureRequests");

            migrationBuilder.DropTable(
                name: "EvidenceHashes");

            migrationBuilder.DropTable(
                name: "HashBankEntries");

            migrationBuilder.DropTable(
                name: "HashMatches");

            migrationBuilder.DropTable(
                name: "Messages");

            migrationBuilder.DropTable(
                name: "MonitoredHosts");

            migrationBuilder.DropTable(
                name: "MonitoringWork");

            migrationBuilder.DropTable(
                name: "NarrativeAmendments");

            migrationBuilder.DropTable(
                name: "Narratives");

            migrationBuilder.DropTable(
                name: "Referrals");

            migrationBuilder.DropTable(
                name: "TimelineEvents");

            migrationBuilder.DropTable(
                name: "AspNetRoles");

            migrationBuilder.DropTable(
                name: "MonitorReports");

            migrationBuilder.DropTable(
                name: "MonitoringSources");

            migrationBuilder.DropTable(
                name: "PartnerInstitutions");

            migrationBuilder.DropTable(
                name: "ServiceTracks");

            migrationBuilder.DropTable(
                name: "ContentItems");

            migrationBuilder.DropTable(
                name: "Cases");

            migrationBuilder.DropTable(
                name: "Platforms");

            migrationBuilder.DropTable(
                name: "AspNetUsers");

            migrationBuilder.DropTable(
                name: "Victims");

            migrationBuilder.DropSequence(
                name: "case_numbers");
        }
    }
}
