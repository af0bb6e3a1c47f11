package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/gorgon-commerce/gorgon/store"
)

// seedRegions is filled in once the store has regions.
func seedRegions(ctx context.Context, s *store.Store, regions []json.RawMessage) error {
	if len(regions) > 0 {
		return fmt.Errorf("seed: regions are not supported yet")
	}
	return nil
}
