// A TypeScript plugin as the PostHog plugin template writes them: types from the scaffold,
// ES module syntax, a helper in another file, jobs and metrics.
import { Plugin, PluginEvent, PluginMeta, RetryError } from '@posthog/plugin-scaffold'
import { greeting } from './lib/greeting'

interface Config {
    name: string
}

type Meta = PluginMeta<{ config: Config; global: { runs: number } }>

export async function setupPlugin({ global }: Meta): Promise<void> {
    global.runs = 0
}

export async function processEvent(event: PluginEvent, { config, global, cache }: Meta): Promise<PluginEvent> {
    global.runs += 1
    const seen: number = (await cache.get('seen', 0)) + 1
    await cache.set('seen', seen)
    event.properties = {
        ...event.properties,
        greeting: greeting(config.name ?? 'nobody'),
        runs: global.runs,
        seen,
        retryable: new RetryError('x') instanceof Error,
    }
    return event
}

export const jobs: Plugin['jobs'] = {
    async sayHello(payload: { to: string }, meta: Meta) {
        console.log(greeting(payload.to))
    },
}

export const metrics = { greeted: 'sum' } as const
