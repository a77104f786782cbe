/**
 * The repair for a stored user layer that no longer validates (written by an older recflow, or edited by hand).
 * A module of its own: the config service names it without loading the schemas.
 */
export const BROKEN_USER_CONFIG_HINT =
  'your stored config has a bad value: remove it with `recflow config unset KEY` (the key named above), or drop your whole layer with `recflow config reset`'
