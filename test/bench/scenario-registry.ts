import type { Scenario } from './report.js';

/**
 * Every scenario, in the order of issue 4, loaded only when it runs (each runs in its own
 * process, which imports only its own scenario).
 */
export const scenarioLoaders: Record<string, () => Promise<Scenario>> = {
  rendering: async () => (await import('./scenarios/rendering.js')).renderingScenario,
  responsiveness: async () => (await import('./scenarios/responsiveness.js')).responsivenessScenario,
  engine: async () => (await import('./scenarios/engine-overhead.js')).engineOverheadScenario,
  feedback: async () => (await import('./scenarios/feedback-delivery.js')).feedbackDeliveryScenario,
  scale: async () => (await import('./scenarios/scale.js')).scaleScenario,
  memory: async () => (await import('./scenarios/memory.js')).memoryScenario,
  cluster: async () => (await import('./scenarios/cluster.js')).clusterScenario,
  fanout: async () => (await import('./scenarios/fan-out.js')).fanOutScenario,
  'contract-cost': async () => (await import('./scenarios/contract-cost.js')).contractCostScenario,
  'round-trips': async () => (await import('./scenarios/round-trips.js')).roundTripsScenario,
};

export const scenarioNames = Object.keys(scenarioLoaders);
