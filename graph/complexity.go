package graph

import "github.com/gorgon-commerce/gorgon/graph/generated"

// gqlgen's default complexity counts a list field once, whatever its length, so a connection
// of 1000 nodes would cost as much as one. Connection fields therefore multiply their children's
// cost by the page size they ask for; each resource file registers its fields here.
var complexityHooks []func(c *generated.ComplexityRoot)

// connCost is the cost of a connection page: its own field plus first × one node's cost.
func connCost(child int, first *int) int {
	n := 50
	if first != nil && *first > 0 {
		n = *first
	}
	return 1 + child*n
}

// windowCost is connCost for a connection taking first and last: the larger of them.
func windowCost(child int, first, last *int) int {
	if first == nil || (last != nil && *last > *first) {
		if last != nil {
			return connCost(child, last)
		}
	}
	return connCost(child, first)
}

func init() {
	complexityHooks = append(complexityHooks, func(c *generated.ComplexityRoot) {
		c.Query.Users = func(child int, first *int, _ *string, _ map[string]any) int { return connCost(child, first) }
		c.Query.Invites = func(child int, first *int, _ *string, _ map[string]any) int { return connCost(child, first) }
	})
}
