import { Module } from '@nestjs/common';
import { BucketBootstrap } from './bucket-bootstrap';
import { StorageService } from './storage.service';

@Module({ providers: [StorageService, BucketBootstrap], exports: [StorageService] })
export class StorageModule {}
