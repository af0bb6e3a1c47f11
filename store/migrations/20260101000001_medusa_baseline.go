package migrations

func init() { Migrations.MustRegister(medusaBaseline, noDown) }
