// Package node holds the Go side of GraphQL's Node interface. It is deliberately empty: the
// store's models (model.User, model.Region, …) are the GraphQL types, and they know nothing of
// GraphQL; gqlgen resolves a Node's concrete type with a type switch over them.
package node

// Node is any object with a Medusa id.
type Node interface{}
