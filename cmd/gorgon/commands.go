package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/migrations"
)

func migrateCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	c := loadConfig(fs)
	dropIndexes := fs.Bool("drop-indexes", false, "drop Gorgon's gorgon_… indexes on Medusa's tables (later migrations leave them dropped)")
	createIndexes := fs.Bool("create-indexes", false, "build Gorgon's gorgon_… indexes that the database lacks (after --drop-indexes, or once pg_trgm is available)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dropIndexes && *createIndexes {
		return fmt.Errorf("migrate: --drop-indexes and --create-indexes exclude each other")
	}
	db, _, closeDB, err := openDatabase(ctx, c)
	if err != nil {
		return err
	}
	defer closeDB()
	if err := migrations.Up(ctx, db, migrationOptions(c)); err != nil {
		return err
	}
	switch {
	case *dropIndexes:
		if err := migrations.DropIndexes(ctx, db); err != nil {
			return err
		}
	case *createIndexes:
		if err := migrations.CreateIndexes(ctx, db); err != nil {
			return err
		}
	}
	s, err := newStore(ctx, db, c)
	if err != nil {
		return err
	}
	return s.EnsureDefaults(ctx)
}

// userCmd is `medusa user`: creates an admin user, optionally with an API token.
func userCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("user", flag.ContinueOnError)
	c := loadConfig(fs)
	email := fs.String("email", "", "email of the new user")
	fs.StringVar(email, "e", "", "shorthand for --email")
	pass := fs.String("password", "", "password of the new user")
	fs.StringVar(pass, "p", "", "shorthand for --password")
	token := fs.String("api-token", "", "API token of the new user")
	id := fs.String("id", "", "id of the new user (default: generated)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *email == "" {
		return fmt.Errorf("user: --email is required")
	}
	s, closeStore, err := openStore(ctx, c)
	if err != nil {
		return err
	}
	defer closeStore()
	in := store.CreateUserInput{Email: *email, Password: *pass, ID: *id}
	if *token != "" {
		in.APIToken = token
	}
	u, err := s.CreateUser(ctx, in)
	if err != nil {
		return err
	}
	fmt.Println("created user", u.ID, u.Email)
	return nil
}

// graphqlCmd is `gorgon graphql register FILE...`: adds the documents of a client's build output
// (an Apollo persisted query manifest, or graphql-codegen's persisted-documents.json) to the
// registry that persisted queries are looked up in, all files or none.
func graphqlCmd(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "register" {
		return fmt.Errorf("graphql: want `gorgon graphql register FILE...`")
	}
	fs := flag.NewFlagSet("graphql register", flag.ContinueOnError)
	c := loadConfig(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("graphql register: name at least one manifest file")
	}
	var docs []store.PersistedDocument
	for _, name := range fs.Args() {
		data, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		d, err := store.ParsePersistedDocuments(data)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		docs = append(docs, d...)
	}
	s, closeStore, err := openStore(ctx, c)
	if err != nil {
		return err
	}
	defer closeStore()
	if err := s.RegisterPersistedDocuments(ctx, docs); err != nil {
		return err
	}
	fmt.Println("registered", len(docs), "documents")
	return nil
}
