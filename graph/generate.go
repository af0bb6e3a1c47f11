// Package graph is the GraphQL adapter: gqlgen resolvers that translate GraphQL into calls of the
// store and back. No business rules live here.
package graph

//go:generate go tool gqlgen generate --config ../gqlgen.yml
