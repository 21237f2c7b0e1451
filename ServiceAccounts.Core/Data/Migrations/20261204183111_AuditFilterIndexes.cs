using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ServiceAccounts.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class AuditFilterIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_AuditRecords_IdentityId_ActionType_Id",
                table: "AuditRecords",
                columns: new[] { "IdentityId", "ActionType", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditRecords_IdentityId_TokenId_Id",
                table: "AuditRecords",
                columns: new[] { "IdentityId", "TokenId", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AuditRecords_IdentityId_ActionType_Id",
                table: "AuditRecords");

            migrationBuilder.DropIndex(
                name: "IX_AuditRecords_IdentityId_TokenId_Id",
                table: "AuditRecords");
        }
    }
}
