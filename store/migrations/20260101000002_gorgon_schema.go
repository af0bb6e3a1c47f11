package migrations

import _ "embed"

//go:embed gorgon_schema.sql
var gorgonSchema string

func init() { Migrations.MustRegister(execSQL(gorgonSchema), noDown) }
