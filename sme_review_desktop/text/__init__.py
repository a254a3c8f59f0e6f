"""Text as people write it (no Qt, no store): plain numbers, Chinese numerals and clause labels
(第七条（四）), pinyin search keys, and YAML for the shipped resources."""
