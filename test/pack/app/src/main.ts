import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';

// As the README's metrics section: the SDK registered before the app boots, Prometheus on METRICS_PORT.
if (process.env.METRICS_PORT) {
  const { metrics } = await import('@opentelemetry/api');
  const { PrometheusExporter } = await import('@opentelemetry/exporter-prometheus');
  const { MeterProvider } = await import('@opentelemetry/sdk-metrics');
  const exporter = new PrometheusExporter({
    host: '127.0.0.1',
    port: Number(process.env.METRICS_PORT),
  });
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [exporter] }));
}

const app = await NestFactory.create(AppModule, { abortOnError: false });
app.enableShutdownHooks();
await app.listen(Number(process.env.PORT), '127.0.0.1');
console.log(`pack app listening on ${await app.getUrl()}`);
