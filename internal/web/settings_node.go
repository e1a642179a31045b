package web

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// nodeValue reads the scalar (or the list, comma-joined) at path.
func nodeValue(root *yaml.Node, path []string) string {
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	for _, key := range path {
		if n.Kind != yaml.MappingNode {
			return ""
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				next = n.Content[i+1]
			}
		}
		if next == nil {
			return ""
		}
		n = next
	}
	if n.Kind == yaml.SequenceNode {
		vals := make([]string, len(n.Content))
		for i, c := range n.Content {
			vals[i] = c.Value
		}
		return strings.Join(vals, ", ")
	}
	return n.Value
}

// setNode writes value at path, creating the mappings on the way. A
// number or a switch goes untagged, so YAML reads "3" as a number; text
// is tagged as text, so a name "2026" or a template "{{.Order}}" stays
// text; a list becomes a sequence of texts.
func setNode(root *yaml.Node, path []string, value, kind string) {
	if root.Kind == 0 {
		*root = yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{{Kind: yaml.MappingNode}}}
	}
	n := root
	if n.Kind == yaml.DocumentNode {
		n = n.Content[0]
	}
	for _, key := range path {
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				next = n.Content[i+1]
			}
		}
		if next == nil {
			next = &yaml.Node{Kind: yaml.MappingNode}
			n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, next)
		}
		n = next
	}
	switch kind {
	case "list":
		*n = yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
		for _, item := range strings.Split(value, ",") {
			if item = strings.TrimSpace(item); item != "" {
				n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: item})
			}
		}
	case "number", "bool":
		*n = yaml.Node{Kind: yaml.ScalarNode, Value: value}
	default:
		style := yaml.Style(0)
		if strings.Contains(value, "\n") {
			style = yaml.LiteralStyle
		}
		*n = yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: value, Style: style}
	}
}
