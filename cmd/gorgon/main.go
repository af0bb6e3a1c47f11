// Command gorgon serves Medusa 1.3.8's admin API (REST and GraphQL) on Medusa's own database.
//
//	gorgon [serve]                      run the server (the default)
//	gorgon migrate                      create or upgrade the schema
//	gorgon user --email E --password P  create an admin user (like `medusa user`)
//	gorgon seed --file seed.json        load Medusa's seed format
//	gorgon graphql register FILE...     register persisted GraphQL documents from a client's build
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/gorgon-commerce/gorgon/rest"
)

func main() {
	slog.SetDefault(slog.New(rest.LogHandler(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: logLevel()}))))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "gorgon:", err)
		}
		os.Exit(1)
	}
}

func logLevel() slog.Level {
	var l slog.Level
	if err := l.UnmarshalText([]byte(os.Getenv("LOG_LEVEL"))); err != nil {
		return slog.LevelInfo
	}
	return l
}

func run(ctx context.Context, args []string) error {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, args)
	case "migrate":
		return migrateCmd(ctx, args)
	case "user":
		return userCmd(ctx, args)
	case "seed":
		return seedCmd(ctx, args)
	case "graphql":
		return graphqlCmd(ctx, args)
	case "help", "-h", "--help":
		fmt.Println("usage: gorgon [serve|migrate|user|seed|graphql] [flags]")
		return nil
	}
	return fmt.Errorf("unknown command %q (want serve, migrate, user, seed or graphql)", cmd)
}
