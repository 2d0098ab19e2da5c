import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Commune } from './commune.entity';
import { PlacesController } from './places.controller';
import { PlacesService } from './places.service';
import { Province } from './province.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Province, Commune])],
  controllers: [PlacesController],
  providers: [PlacesService],
  exports: [PlacesService],
})
export class PlacesModule {}
