// Package graph is the GraphQL adapter: gqlgen resolvers that translate GraphQL into calls of the
// store and back. No business rules live here.
package graph

//go:generate sh -c "cd .. && go run ./graph/internal/wheregen && go run ./graph/internal/gqlgen"
