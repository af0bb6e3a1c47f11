package migrations

// The registry of persisted GraphQL documents (store/persisted_queries.go): `gorgon graphql
// register` fills it from a client's build output; GORGON_GRAPHQL_PERSISTED_ONLY executes only
// what it holds.
const persistedQueries = `
CREATE TABLE IF NOT EXISTS gorgon.persisted_query (
    hash        character varying PRIMARY KEY,
    name        character varying,
    body        text NOT NULL,
    created_at  timestamp with time zone NOT NULL DEFAULT now()
);`

func init() { Migrations.MustRegister(execSQL(persistedQueries), noDown) }
