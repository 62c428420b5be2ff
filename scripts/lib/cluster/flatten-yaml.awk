# Prints "key<TAB>value" for every leaf of a simple block-style YAML file, with nested keys joined by
# dots as Flink flattens them (execution: checkpointing: dir: x -> execution.checkpointing.dir).
# Enough for flink-conf/config.yaml: maps and scalars; list items and flow collections are skipped.
# Used by scripts/flink-cluster to leave keys the repo's config.yaml already sets to that file.
function strip(s) {
  sub(/^[ \t]+/, "", s)
  sub(/[ \t]+$/, "", s)
  return s
}
/^[ \t]*(#|$)/ { next }
/^[ \t]*- / { next }
{
  line = $0
  match(line, /^ */)
  indent = RLENGTH
  body = substr(line, indent + 1)
  colon = index(body, ":")
  if (colon == 0) next
  key = strip(substr(body, 1, colon - 1))
  gsub(/^["']|["']$/, "", key)
  value = substr(body, colon + 1)
  if (value !~ /^[ \t]*["']/) sub(/[ \t]+#.*$/, "", value)
  value = strip(value)
  if (value ~ /^".*"$/ || value ~ /^'.*'$/) value = substr(value, 2, length(value) - 2)
  while (depth > 0 && indents[depth] >= indent) depth--
  if (value == "") {
    depth++
    indents[depth] = indent
    keys[depth] = key
    next
  }
  full = key
  for (i = depth; i >= 1; i--) full = keys[i] "." full
  print full "\t" value
}
