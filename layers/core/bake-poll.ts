// How often the bake polls the agent, the build script and the image, and how many checks each gets.

/**
 * Seconds between polls and the checks allowed. bake.asl.yaml repeats them in its Wait and Choice
 * states (WaitForAgent, IsAgentOnline, WaitForBuildScript, WaitForImage, IsImageAvailable), and a
 * test ties the two; the script's checks come from the recipe's timeout (Bake.scriptChecks).
 */
export const POLL = {
  agent: { seconds: 15, maxChecks: 40 },
  script: { seconds: 30 },
  image: { seconds: 60, maxChecks: 90 },
} as const;
