"""Small stdlib-only pieces every layer may use: clocks, listener lists, typed YAML reading."""
