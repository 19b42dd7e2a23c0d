/**
 * The one YAML loader for recipes: recipe files, bakehouse.yaml, environment.yml and `POST /bakes`
 * bodies all go through it. Aliases are refused (a few nested ones expand to gigabytes), and an
 * error says where the text is wrong without quoting it: the text may be a file someone pointed
 * the loader at that must not be echoed.
 */
import * as yaml from 'js-yaml';
import { ValidationError } from '../../base/errors';

/** Recipes are short and hand-written: no alias is needed, so none is accepted. */
export const MAX_YAML_ALIASES = 0;

/** `text` as a YAML value; throws a ValidationError at `path` naming only the line and column. */
export function loadRecipeYaml(text: string, path = 'recipe'): unknown {
  try {
    return yaml.load(text, { maxAliases: MAX_YAML_ALIASES });
  } catch (error) {
    throw new ValidationError([{ path, message: `not valid YAML: ${yamlProblem(error)}` }], path);
  }
}

/** Why the text is not YAML, with its position, and nothing of the text itself. */
export function yamlProblem(error: unknown): string {
  if (error instanceof yaml.YAMLException) {
    const mark = error.mark;
    const where = mark ? ` at line ${mark.line + 1}, column ${mark.column + 1}` : '';
    return `${error.reason}${where}`;
  }
  return 'unreadable';
}
