package store

// mergeMetadata is Medusa's setMetadata: the update's keys overwrite the existing ones, others stay.
func mergeMetadata(existing, update map[string]any) map[string]any {
	out := make(map[string]any, len(existing)+len(update))
	for k, v := range existing {
		out[k] = v
	}
	for k, v := range update {
		out[k] = v
	}
	return out
}
