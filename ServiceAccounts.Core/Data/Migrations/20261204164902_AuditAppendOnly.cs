using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ServiceAccounts.Core.Data.Migrations
{
    /// <summary>Audit records are append-only in the database itself: UPDATE and DELETE are refused.</summary>
    public partial class AuditAppendOnly : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TRIGGER "AuditRecords_NoUpdate" BEFORE UPDATE ON "AuditRecords"
                BEGIN SELECT RAISE(ABORT, 'Audit records are append-only: they cannot be changed.'); END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "AuditRecords_NoDelete" BEFORE DELETE ON "AuditRecords"
                BEGIN SELECT RAISE(ABORT, 'Audit records are append-only: they cannot be deleted.'); END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER \"AuditRecords_NoDelete\";");
            migrationBuilder.Sql("DROP TRIGGER \"AuditRecords_NoUpdate\";");
        }
    }
}
