// A recipe or class that names no region is baked or seated in the stack's own (Lambda's
// AWS_REGION), not in us-east-1.
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { handler as validateRecipe } from '../../functions/bake/validate-recipe';
import { resetConfig } from '../../layers/runtime/config';

const recipe = { name: 'stats-101', baseImage: '/aws/service/debian/release/12/latest/amd64' };
const run = async (input: { recipe: unknown; bakeId: string }) =>
  (await validateRecipe(input, {} as Context)) as { region: string; recipe: { region: string } };

afterEach(() => {
  delete process.env.AWS_REGION;
  resetConfig();
});

describe('the stack region as the default', () => {
  it("bakes a recipe without a region in the stack's region, and one with its own there", async () => {
    process.env.AWS_REGION = 'eu-west-1';
    resetConfig();

    const plain = await run({ recipe, bakeId: 'bake-1' });
    const named = await run({ recipe: { ...recipe, region: 'ap-south-1' }, bakeId: 'bake-2' });

    expect(plain.region).toBe('eu-west-1');
    expect(plain.recipe.region).toBe('eu-west-1');
    expect(named.region).toBe('ap-south-1');
  });
});
