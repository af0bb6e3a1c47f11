package migrations

// Gorgon's indexes on Medusa's tables (indexes.go): built once by migrate, outside a transaction
// (CONCURRENTLY). After `gorgon migrate --drop-indexes` they stay dropped until
// `gorgon migrate --create-indexes`.
func init() { Migrations.MustRegister(CreateIndexes, noDown) }
