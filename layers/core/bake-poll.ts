// How often the bake polls the agent, the build script and the image, and how many checks each gets.

/**
 * Seconds between polls and the checks allowed. bake.asl.yaml repeats them in its Wait and Choice
 * states (WaitForAgent, IsAgentOnline, WaitForBuildScript, WaitForImage, IsImageAvailable,
 * WaitForTestAgent, IsTestAgentOnline, WaitForImageTest, IsImageTestDone, WaitForCopies,
 * AreCopiesAvailable), and a
 * test ties the two; the script's checks come from the recipe's timeout (Bake.scriptChecks).
 */
export const POLL = {
  agent: { seconds: 15, maxChecks: 40 },
  script: { seconds: 30 },
  image: { seconds: 60, maxChecks: 90 },
  /** The image test's command (IMAGE_TEST_TIMEOUT_SECONDS) and a few checks' slack. */
  test: { seconds: 15, maxChecks: 90 },
  /** The copies in other regions (WaitForCopies, AreCopiesAvailable): 2 hours at most. */
  copy: { seconds: 60, maxChecks: 120 },
} as const;

/** Run Command's execution timeout for the image test: seat script, Jupyter, smoke test. */
export const IMAGE_TEST_TIMEOUT_SECONDS = 20 * 60;
