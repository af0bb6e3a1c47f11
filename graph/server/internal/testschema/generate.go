// Package testschema is a tiny gqlgen schema for graph/server's tests: a recursive
// type (depth limit), a failing field, a mutation and an Upload field. Resolvers count
// their calls so tests can assert that a rejected request never reached execution.
package testschema

//go:generate go run github.com/99designs/gqlgen generate
